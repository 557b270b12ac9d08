import { describe, expect, it } from "vitest";
import { PLACEHOLDERS, canonicalPlaceholders, fromReadable, letterParts, toReadable } from "#core/letter-templates";
import { messages, LANGUAGES } from "#app/i18n";

const template = "Estimado/a {{ target.title }}:\n\nLe escribo desde {{supporter.country}}.\n\n{{supporter.name}} {{unknown.thing}}";

describe("letters as supporters read and edit them", () => {
  it("cuts a template into text and known placeholders, leaving an unknown one as text", () => {
    expect(letterParts(template)).toEqual([
      { text: "Estimado/a " },
      { placeholder: "target.title" },
      { text: ":\n\nLe escribo desde " },
      { placeholder: "supporter.country" },
      { text: ".\n\n" },
      { placeholder: "supporter.name" },
      { text: " {{unknown.thing}}" },
    ]);
  });

  for (const language of LANGUAGES) {
    it(`writes every placeholder as a distinct readable blank in ${language}, and reads it back`, () => {
      const blanks = messages(language).letterPage.blanks;
      const readable = toReadable(template, blanks);
      expect(readable).not.toMatch(/\{\{\s*(supporter|target)\./);
      expect(new Set(PLACEHOLDERS.map((p) => blanks[p])).size).toBe(PLACEHOLDERS.length);
      expect(fromReadable(readable, blanks)).toBe(canonicalPlaceholders(template));
      // What the supporter types stays theirs: only the exact blanks become placeholders again.
      expect(fromReadable(`${readable} [${blanks["supporter.name"]}`, blanks)).toContain(`[${blanks["supporter.name"]}`);
    });
  }
});
