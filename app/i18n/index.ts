import { LANGUAGES, isLanguage, type Language } from "#core/rules";
import { en, type Messages } from "./en";
import { es } from "./es";

export { LANGUAGES, isLanguage, type Language, type Messages };

const catalogue: Record<Language, Messages> = { en, es };

/** The page strings for a language. */
export function messages(language: Language): Messages {
  return catalogue[language];
}

/** Formats a count for the language (thousands separators). */
export function formatNumber(n: number, language: Language): string {
  // Building an Intl formatter costs far more than using one: pages format several numbers per render.
  return (numberFormats[language] ??= new Intl.NumberFormat(language === "es" ? "es-PE" : "en-GB")).format(n);
}
const numberFormats: Partial<Record<Language, Intl.NumberFormat>> = {};

/** The page strings for a route's `meta` export, in the language the root loader chose. */
export function metaMessages(matches: readonly { id: string; data?: unknown }[]): Messages {
  const data = matches.find((m) => m.id === "root")?.data as { language?: unknown } | undefined;
  return messages(isLanguage(data?.language) ? data.language : "en");
}
