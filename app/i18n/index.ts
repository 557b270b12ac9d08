import { LANGUAGES, isLanguage, textDirection, type Language } from "#core/rules";
import { fill, formatCount, plural, type Plural } from "#db/plural";
import * as bundled from "./catalogues.server";
import type { Messages } from "./en";

export { LANGUAGES, isLanguage, textDirection, type Language, type Messages, type Plural };

// On the server every catalogue is here. In the browser the .server module is empty: entry.client
// loads the page's own language before hydrating, so a page never ships the other three
// (docs/decisions/client-validation.md tells why the bytes matter).
const catalogue: Partial<Record<Language, Messages>> = { ...(bundled as Partial<typeof bundled>).catalogues };

/** Each language's name in itself, for the language switch (no need to load its catalogue). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", fr: "Français", es: "Español", ar: "العربية" };

/** Makes a catalogue loaded in the browser available to `messages`. */
export function addCatalogue(language: Language, strings: Messages): void {
  catalogue[language] = strings;
}

/** The page strings for a language (in the browser, the page's language: the only one loaded). */
export function messages(language: Language): Messages {
  const found = catalogue[language] ?? catalogue.en ?? Object.values(catalogue)[0];
  if (!found) throw new Error(`No catalogue loaded for "${language}"`);
  return found;
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
