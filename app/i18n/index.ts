import { LANGUAGES, isLanguage, textDirection, type Language } from "#core/rules";
import { fill, formatCount, plural, type Plural } from "#db/plural";
import { ar } from "./ar";
import { en, type Messages } from "./en";
import { es } from "./es";
import { fr } from "./fr";

export { LANGUAGES, isLanguage, textDirection, type Language, type Messages, type Plural };

const catalogue: Record<Language, Messages> = { en, fr, es, ar };

/** The page strings for a language. */
export function messages(language: Language): Messages {
  return catalogue[language];
}

/** Formats a count for the language (its digits and thousands separators). */
export function formatNumber(n: number, language: Language): string {
  return formatCount(n, language === "es" ? "es-PE" : language);
}

/** The form of a plural message for `n`, `#` written as the language writes numbers, `{name}`s filled in. */
export function count(language: Language, message: Plural, n: number, values: Record<string, string> = {}): string {
  return fill(plural(language, message, n, formatNumber(n, language)), values);
}

/** The page strings for a route's `meta` export, in the language the root loader chose. */
export function metaMessages(matches: readonly { id: string; data?: unknown }[]): Messages {
  const data = matches.find((m) => m.id === "root")?.data as { language?: unknown } | undefined;
  return messages(isLanguage(data?.language) ? data.language : "en");
}
