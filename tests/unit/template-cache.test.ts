import { describe, expect, it } from "vitest";
import { compileTemplate, placeholders } from "#emails/template-cache";

const slots = placeholders(["name", "url"] as const, ["url"]);
const upper = (v: string) => v.toUpperCase();

describe("a template filled from placeholders", () => {
  it("puts each value, encoded, where its placeholder was", () => {
    const fill = compileTemplate(`<p>Hi ${slots.name}</p><a href="${slots.url}">${slots.url}</a>`, slots, { url: 2 });
    expect(fill({ name: "ana", url: "https://x.example/a" }, upper)).toBe("<p>Hi ANA</p><a href=\"HTTPS://X.EXAMPLE/A\">HTTPS://X.EXAMPLE/A</a>");
  });

  it("bad input: a template that derived a value from a placeholder (so it is missing) fails loudly, naming it", () => {
    expect(() => compileTemplate(`<p>Hi ${slots.name.toUpperCase()}</p>${slots.url}`, slots)).toThrow(/"name" found 0 times, expected 1/);
  });

  it("bad input: a placeholder found more often than declared fails loudly", () => {
    expect(() => compileTemplate(`${slots.name} ${slots.name} ${slots.url}`, slots)).toThrow(/"name" found 2 times, expected 1/);
  });

  it("makes placeholders that cannot be guessed from one template to the next", () => {
    expect(placeholders(["name"]).name).not.toBe(placeholders(["name"]).name);
  });
});
