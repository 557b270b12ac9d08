import { LANGUAGES, isLanguage, type Language } from "../../db/rules";
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
  return new Intl.NumberFormat(language === "es" ? "es-PE" : "en-GB").format(n);
}
