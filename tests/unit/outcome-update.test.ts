import { describe, expect, it } from "vitest";
import { outcomeUpdateText } from "#emails/outcome-update";

const input = { outcome: "won" as const, what: "Free *all* the prisoners", decidedOn: "2026-12-01", summary: "Twelve were released.", pageUrl: "https://inkwell.example/campaigns/peru" };

describe("outcome update text", () => {
  it("tells the outcome in each language, dated in that language, with the team's words and the page", () => {
    const texts = Object.fromEntries(["en", "fr", "es", "ar"].map((l) => [l, outcomeUpdateText(l, input)]));
    expect(texts.en!.subject).toBe("We won: “Free *all* the prisoners”");
    expect(texts.fr!.subject).toBe("Nous avons gagné : « Free *all* the prisoners »");
    expect(texts.es!.subject).toBe("Lo logramos: «Free *all* the prisoners»");
    expect(texts.ar!.subject).toContain("لقد انتصرنا");
    expect(texts.en!.body).toContain("December 1, 2026");
    expect(texts.fr!.body).toContain("1 décembre 2026");
    expect(texts.es!.body).toContain("1 de diciembre de 2026");
    for (const t of Object.values(texts)) {
      expect(t.body).toContain("Twelve were released.");
      expect(t.body).toContain(input.pageUrl);
      // The title is text in the Markdown body: its asterisks are not emphasis.
      expect(t.body).toContain("Free \\*all\\* the prisoners");
    }
  });

  it("falls back to English for a language Inkwell does not write, and to the base language for a regional tag", () => {
    expect(outcomeUpdateText("tr", input).subject).toBe("We won: “Free *all* the prisoners”");
    expect(outcomeUpdateText("es-PE", { ...input, outcome: "partly_won" }).subject).toContain("Logrado en parte");
  });
});
