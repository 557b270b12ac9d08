import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { invalidateSchema } from "#app/forms/workspace-supporters";
import { HONEYPOT_FIELD, letterSchema, signSchema } from "#app/forms/sign";
import { MAX_FORM_ENTRIES, boundedQuery, formShape, plainForm, readForm, workspaceShape } from "#app/lib/form-body.server";

const LETTER = formShape(letterSchema, { extra: [HONEYPOT_FIELD] });
const post = (body: string, type = "application/x-www-form-urlencoded") =>
  new Request("http://local.invalid/", { method: "POST", headers: { "Content-Type": type }, body });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Response) return { status: err.status, text: await err.text() };
    throw err;
  }
  throw new Error("the form was accepted");
}

describe("the bounded form reader", () => {
  it("derives each form's fields, lists and their lengths from its schema", () => {
    expect(LETTER.fields.get("targets")?.list).toBe(100); // no maximum in the schema: the default
    expect(LETTER.fields.get("name")?.list).toBe(0);
    expect(LETTER.fields.has(HONEYPOT_FIELD)).toBe(true);
    expect(workspaceShape(invalidateSchema).fields.get("ids")?.list).toBe(500);
    expect(workspaceShape(invalidateSchema).maxEntries).toBeLessThanOrEqual(MAX_FORM_ENTRIES);
    expect(formShape(z.object({ a: z.string().max(10) })).fields.get("a")?.maxValue).toBe(120);
  });

  it("passes a real letter form through unchanged, as a browser sends it", async () => {
    const body = "name=Ana&email=ana%40example.org&country=PE&subject=Free+them&body=Please&targets=1&targets=2&updates=on&hp_note=";
    const form = await readForm(post(body), LETTER);
    expect([...form.entries()]).toEqual([...new URLSearchParams(body).entries()]);
    expect(parseWithZod(form, { schema: letterSchema }).status).toBe("success");
  });

  it.each([
    ["a huge index on a list field", "targets[30000000]=2"],
    ["an index on a single field", "name[99999999]=x"],
    ["an index on an unknown field", "zz[2000000]=1"],
    ["an index just past the list's length", "targets[100]=1"],
    ["deep nesting", `a${"[0]".repeat(500)}=1`],
    ["a dotted path", "name.first=Ana"],
    ["a nested index on a list", "targets[0][0]=1"],
    ["a bracket without an index", "targets[]=1"],
  ])("refuses %s with a 400 before anything is parsed", async (_name, body) => {
    const r = await refusal(readForm(post(body), LETTER));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/reload the page/);
  });

  it("refuses too many fields, counted before they are split", async () => {
    expect((await refusal(readForm(post("a=1&".repeat(5_000)), LETTER))).status).toBe(400);
    expect((await refusal(readForm(post("&".repeat(60_000)), LETTER))).status).toBe(400);
    expect((await refusal(readForm(post("targets=1&".repeat(LETTER.maxEntries + 1)), LETTER))).status).toBe(400);
  });

  it("refuses a value far longer than its field, and keeps one a little over for validation's own message", async () => {
    const shape = formShape(z.object({ email: z.string().max(254) }));
    expect((await refusal(readForm(post(`email=${"x".repeat(700)}`), shape))).status).toBe(400);
    const form = await readForm(post(`email=${"x".repeat(300)}`), shape);
    expect(String(form.get("email"))).toHaveLength(300);
  });

  it("drops names the form does not have, so they are neither parsed nor echoed", async () => {
    const form = await readForm(post("name=Ana&zz=1&__proto__=x&constructor=y&=z&hello%20there=1"), formShape(signSchema));
    expect([...form.keys()]).toEqual(["name"]);
    const submission = parseWithZod(form, { schema: signSchema });
    expect(Object.keys(submission.reply().initialValue ?? {})).toEqual(["name"]);
  });

  it("answers 415 for bodies no browser form sends, 400 for a broken multipart body", async () => {
    expect((await refusal(readForm(post('{"email":"a@b.c"}', "application/json"), LETTER))).status).toBe(415);
    expect((await refusal(readForm(post("email=a@b.c", "text/plain"), LETTER))).status).toBe(415);
    expect((await refusal(readForm(post("--zz\r\nbroken", "multipart/form-data; boundary=xyz"), LETTER))).status).toBe(400);
    expect([...(await readForm(new Request("http://local.invalid/", { method: "POST" }), LETTER)).keys()]).toEqual([]);
  });

  it("bounds a multipart form like any other, and takes no file where the form has none", async () => {
    const huge = new FormData();
    huge.append("targets[30000000]", "2");
    expect((await refusal(readForm(new Request("http://local.invalid/", { method: "POST", body: huge }), LETTER))).status).toBe(400);
    const file = new FormData();
    file.append("comment", new Blob(["hello"]), "note.txt");
    expect((await refusal(readForm(new Request("http://local.invalid/", { method: "POST", body: file }), LETTER))).status).toBe(400);
  });

  it("keeps plain fields of a form read without a schema, and never an index", async () => {
    const form = await readForm(post("intent=release&ids=1&ids=2"), plainForm());
    expect(form.getAll("ids")).toEqual(["1", "2"]);
    expect((await refusal(readForm(post("ids[5000]=1"), plainForm()))).status).toBe(400);
  });

  it("bounds a query string read as a form", () => {
    const shape = formShape(z.object({ q: z.string().optional() }));
    expect(() => boundedQuery(new URLSearchParams("q=x&ids[99999999]=1"), shape)).toThrow(Response);
    expect([...boundedQuery(new URLSearchParams("q=x&other=1"), shape).keys()]).toEqual(["q"]);
  });

  it("is the only place a request body is read: no other module calls formData(), text() or json() on a request", () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
    const readers = [...sources("app"), ...sources("server")]
      .filter((f) => !f.endsWith(path.join("lib", "form-body.server.ts")))
      .filter((f) => /\brequest\.(formData|text|json|arrayBuffer|blob)\(|parseMultipartFormData/.test(readFileSync(f, "utf8")));
    expect(readers).toEqual([]);
  });
});
