import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unknownPlaceholders, renderTemplate } from "#core/letter-templates";
import { deliverAction } from "#services/deliveries";
import { csvOf, LETTER_ACTION, letterAction, OFFICIALS, pdfPages, postLetter, writeAndConfirm } from "../support/letters";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";

describe("writing a letter", () => {
  let p: TestPlatform;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  const base = { name: "Rosa Díaz", email: "rosa@example.org", country: "PE", subject: "Free them", body: "Please." };
  const letters = () => p.database.db.selectFrom("letters").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();

  beforeAll(async () => {
    p = await startTestPlatform();
    ids = await letterAction(p);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("shows the letter prefilled in the officials' language, with the officials ticked and a translation aid", async () => {
    const html = await (await fetch(`${p.url}/campaigns/${DEMO.campaign}/${LETTER_ACTION}`, { headers: { "Accept-Language": "en" } })).text();
    // Addressed to the first official, the supporter's part a readable blank until they give it.
    expect(html).toContain("Estimado/a <span class=\"filled\">Ministro de Justicia</span>:");
    expect(html).toMatch(/Atentamente,\n<span class="blank" lang="en" dir="ltr">\[your name\]<\/span>/);
    expect(html.match(/<input[^>]*name="targets"[^>]*type="checkbox"[^>]*checked[^>]*>/g)).toHaveLength(2);
    expect(html).toContain("What it says, in English");
    expect(html).toContain("Dear <span class=\"filled\">Ministro de Justicia</span>,");
    // The wording to change carries blanks, never braces.
    expect(html).toContain("Estimado/a [the official&#x27;s title]:");
  });

  it("refuses a blank letter, no official, an official of another action, and an over-long letter, writing nothing", async () => {
    const cases: [Record<string, string>, number[], string][] = [
      [{ ...base, body: "   " }, [ids.justice], "Your letter cannot be blank."],
      [{ ...base }, [], "Choose at least one official to write to."],
      [{ ...base }, [999_999], "Choose among the officials listed here."],
      [{ ...base, body: "x".repeat(5001) }, [ids.justice], "This is too long."],
    ];
    for (const [fields, targets, message] of cases) {
      const res = await postLetter(p, fields, targets);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(Number((await letters()).n)).toBe(0);
  });

  it("treats placeholders as data: a name that looks like a placeholder is printed as typed", async () => {
    const w = await writeAndConfirm(p, [ids.justice], { name: "{{target.name}} <b>x</b>", body: "From {{supporter.name}} to {{target.name}} {{nope}}" });
    await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const mail = await eventually(async () => p.smtp.messages.find((m) => m.to.includes(OFFICIALS.justice)), 20_000, "batch");
    const [, row] = csvOf(mail);
    expect(row![0]).toBe(w.name);
    expect(row![4]).toBe("From {{target.name}} <b>x</b> to Ministro de Justicia {{nope}}");
    expect(mail.html).not.toContain("<b>x</b>");
    expect(mail.html).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it("lets the supporter download their own letter as a PDF, one page per official, and refuses a forged link", async () => {
    const w = await writeAndConfirm(p, [ids.justice, ids.pardons]);
    const thanks = p.smtp.to(w.email)[0]!;
    const confirm = await fetch(thanks.text.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/)![0], { method: "POST", redirect: "manual" });
    const location = confirm.headers.get("location")!;
    const ref = new URL(location, p.url).searchParams.get("letter")!;
    const page = await (await fetch(new URL(location, p.url))).text();
    expect(page).toContain(`/letters/${ref}`);
    const pdf = await fetch(`${p.url}/letters/${ref}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdfPages(Buffer.from(await pdf.arrayBuffer()))).toBe(2);
    const forged = await fetch(`${p.url}/letters/${ref.replace(/.$/, (c) => (c === "A" ? "B" : "A"))}`);
    expect(forged.status).toBe(404);
  });

  it("rejects templates with unknown placeholders and renders known ones", () => {
    expect(unknownPlaceholders("Dear {{target.title}}, {{ supporter.name }} {{evil.code}}")).toEqual(["evil.code"]);
    expect(renderTemplate("{{supporter.name}}", { "supporter.name": "{{target.name}}", "target.name": "X" })).toBe("{{target.name}}");
  });
});
