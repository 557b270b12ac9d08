import { describe, expect, it } from "vitest";
import { ar } from "#app/i18n/ar";
import { en } from "#app/i18n/en";
import { es } from "#app/i18n/es";
import { fr } from "#app/i18n/fr";
import { LANGUAGE_NAMES, count, messages } from "#app/i18n/index";
import { LANGUAGES, canonicalLanguageTag, textDirection } from "#core/rules";
import { gendered, isGendered, isPlural, plural, pluralRules } from "#db/plural";
import { emailCatalogues, emailCount, emailMessages } from "#emails/messages";

const pages: Record<string, unknown> = { en, fr, es, ar };

/** Every problem of `other` against the English catalogue `reference`: missing keys, missing plural or gender forms. */
function problems(language: string, reference: unknown, other: unknown, path = ""): string[] {
  if (isGendered(reference)) {
    if (typeof other !== "object" || other === null) return [`${path}: not a gendered message`];
    return (["female", "male", "other"] as const).filter((form) => typeof (other as Record<string, unknown>)[form] !== "string").map((form) => `${path}: no "${form}" form`);
  }
  if (isPlural(reference)) {
    if (!isPlural(other)) return [`${path}: not a plural message`];
    const needed = pluralRules(language).resolvedOptions().pluralCategories;
    return needed.filter((category) => typeof other[category] !== "string").map((category) => `${path}: no "${category}" form`);
  }
  if (typeof reference === "string" || typeof reference === "function") return typeof other === typeof reference ? [] : [`${path}: missing or not a ${typeof reference}`];
  if (Array.isArray(reference)) return Array.isArray(other) && other.length === reference.length ? [] : [`${path}: not ${reference.length} items`];
  if (typeof reference === "object" && reference !== null) {
    if (typeof other !== "object" || other === null) return [`${path}: missing`];
    return Object.keys(reference).flatMap((key) => problems(language, (reference as Record<string, unknown>)[key], (other as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
  }
  return [];
}

describe("catalogues", () => {
  it("covers English, French, Spanish and Arabic, pages and emails alike", () => {
    expect([...LANGUAGES].sort()).toEqual(["ar", "en", "es", "fr"]);
    expect(Object.keys(pages).sort()).toEqual([...LANGUAGES].sort());
    expect(Object.keys(emailCatalogues).sort()).toEqual([...LANGUAGES].sort());
  });

  for (const language of LANGUAGES) {
    it(`gives ${language} every key, and every plural form the language needs`, () => {
      expect(problems(language, en, pages[language])).toEqual([]);
      expect(problems(language, emailCatalogues.en, emailCatalogues[language])).toEqual([]);
    });
  }

  it("finds a missing plural form or key (the check itself works)", () => {
    const broken = { ...ar, progress: { ...ar.progress, letters: { one: "رسالة", other: "رسالة" } } };
    expect(problems("ar", en, broken).sort()).toEqual(['progress.letters: no "few" form', 'progress.letters: no "many" form', 'progress.letters: no "two" form', 'progress.letters: no "zero" form']);
    const { footer: _, ...missing } = fr;
    expect(problems("fr", en, missing)).toEqual(["footer: missing or not a string"]);
  });

  it("never says '1 letters' in any language", () => {
    expect(count("en", en.campaign.delivered, 1, { official: "the Minister", date: "3 March" })).toBe("1 letter delivered to the Minister on 3 March");
    expect(count("en", en.campaign.delivered, 1200, { official: "the Minister", date: "3 March" })).toBe("1,200 letters delivered to the Minister, last on 3 March");
    expect(count("es", es.campaign.delivered, 1, { official: "el Ministro", date: "3 de marzo" })).toBe("1 carta entregada a el Ministro, el 3 de marzo");
    expect(count("fr", fr.progress.signatures, 1)).toBe("signature");
    expect(count("fr", fr.progress.signatures, 0)).toBe("signature");
    expect(count("fr", fr.progress.signatures, 2)).toBe("signatures");
    expect(count("ar", ar.campaign.delivered, 2, { official: "الوزير", date: "3 مارس" })).toBe("سُلِّمت رسالتان إلى الوزير، آخرهما في 3 مارس");
    expect(count("ar", ar.campaign.delivered, 5, { official: "الوزير", date: "3 مارس" })).toContain("5 رسائل");
    expect(count("ar", ar.campaign.delivered, 11, { official: "الوزير", date: "3 مارس" })).toContain("11 رسالة");
    expect(emailCount("en", emailMessages("en").batchSubjectLetters, 1, { campaign: "Free them", part: "" })).toBe("1 letter from supporters of “Free them”");
    expect(emailCount("es-PE", emailMessages("es-PE").batchSubjectLetters, 1, { campaign: "Libertad", part: "" })).toBe("1 carta de quienes apoyan «Libertad»");
    expect(emailCount("tr", emailMessages("tr").noticeSubject, 3)).toBe("Your letters were delivered to 3 officials");
  });

  it("finds a missing gender form (the check itself works)", () => {
    const m = emailCatalogues.fr!;
    const broken = { ...m, dear: { female: "Madame {title},", other: "{title}," } };
    expect(problems("fr", emailCatalogues.en, broken)).toEqual(['dear: no "male" form']);
  });

  it("addresses an official in words that agree with their gender when known, neutral words otherwise", () => {
    const dear = (language: string, gender: string | null) => gendered(emailMessages(language).dear, gender, { title: "Ministra de Justicia" });
    expect([dear("es", "female"), dear("es", "male"), dear("es", null)]).toEqual(["Estimada Ministra de Justicia:", "Estimado Ministra de Justicia:", "A la atención de Ministra de Justicia:"]);
    expect(dear("fr", "female")).toBe("Madame Ministra de Justicia,");
    expect(dear("ar", "female")).toContain("السيدة");
    expect(dear("ar", "male")).toContain("السيد ");
    expect(dear("ar", null)).not.toMatch(/السيد|المحترم/);
    expect(dear("en", "female")).toBe(dear("en", null));
    for (const language of LANGUAGES) expect(isGendered(emailMessages(language).dear), language).toBe(true);
  });

  it("names each language in itself without loading its catalogue", () => {
    expect(LANGUAGES.map((l) => LANGUAGE_NAMES[l])).toEqual(LANGUAGES.map((l) => messages(l).langName));
  });

  it("fills named values as plain data", () => {
    expect(plural("en", { one: "# for {who}", other: "# for {who}" }, 2)).toBe("2 for {who}");
    expect(count("en", { one: "{a} and {b}", other: "{a} and {b}" }, 1, { a: "{b}", b: "x" })).toBe("{b} and x");
  });

  it("sets Arabic right to left, and writes each language's own name", () => {
    expect(LANGUAGES.map(textDirection)).toEqual(["ltr", "ltr", "ltr", "rtl"]);
    expect(textDirection("fa")).toBe("rtl");
    expect(textDirection("he-IL")).toBe("rtl");
    expect(textDirection("zh-Hans")).toBe("ltr");
    expect(LANGUAGES.map((l) => messages(l).langName)).toEqual(["English", "Français", "Español", "العربية"]);
  });

  it("accepts any BCP 47 language tag in its canonical form and refuses the rest", () => {
    expect(canonicalLanguageTag("tr")).toBe("tr");
    expect(canonicalLanguageTag(" PT-br ")).toBe("pt-BR");
    expect(canonicalLanguageTag("zh-hans")).toBe("zh-Hans");
    expect(canonicalLanguageTag("ar")).toBe("ar");
    for (const bad of ["", "english", "e", "en_GB", "en--GB", "x".repeat(40), "<script>", "12"]) expect(canonicalLanguageTag(bad)).toBeNull();
  });
});
