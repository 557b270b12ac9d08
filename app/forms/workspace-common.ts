import { z } from "zod";

/** The languages a campaign can be written in; every supporter-facing page exists in these. */
export const LANGUAGES = ["en", "fr", "es", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", fr: "French", es: "Spanish", ar: "Arabic" };

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A URL-safe name: lower-case letters, digits and single hyphens. */
export const slug = z
  .string({ error: "Enter a short name for the address, like free-the-prisoners." })
  .trim()
  .max(80, "Use at most 80 characters.")
  .regex(SLUG_PATTERN, "Use lower-case letters, digits and single hyphens only, like free-the-prisoners.");

/** Optional text: empty becomes undefined, longer than `max` is refused. */
export const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max.toLocaleString("en")} characters.`).optional();

/** A whole number within bounds, with messages a person understands. */
export const wholeNumber = (label: string, min: number, max: number) =>
  z
    .number({ error: `Enter ${label} as a whole number.` })
    .int(`Enter ${label} as a whole number.`)
    .min(min, `Use at least ${min.toLocaleString("en")}.`)
    .max(max, `Use at most ${max.toLocaleString("en")}.`);

/** The hidden `intent` field that tells one form of a page from another. */
export function intentOf(formData: FormData): string {
  const value = formData.get("intent");
  return typeof value === "string" ? value : "";
}
