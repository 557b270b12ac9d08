import { z } from "zod";
import { isCountryCode } from "../lib/countries";
import { languageTag } from "./language-tag";

let zones: Set<string> | undefined;
/** Whether a name is an IANA time zone this runtime knows (plus UTC, which the list leaves out). */
export function isTimeZone(value: string): boolean {
  zones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  return zones.has(value);
}

const text = (label: string, max: number) => z.string({ error: `Enter the ${label}.` }).trim().min(1, `Enter the ${label}.`).max(max, `Use at most ${max} characters.`);

/** An official in the directory. */
export const officialSchema = z.object({
  name: text("official's name", 200),
  title: text("official's title", 200),
  organisation: text("organisation", 200),
  country: z
    .string({ error: "Enter a two-letter country code, like PE." })
    .trim()
    .toUpperCase()
    .refine(isCountryCode, "Enter a two-letter country code, like PE."),
  email: z.string().trim().max(254, "That is too long for an email address.").pipe(z.email("Enter a valid email address.")).optional(),
  postalAddress: z.string().trim().max(1000, "Use at most 1,000 characters.").optional(),
  language: languageTag("the language letters reach them in"),
  timeZone: z
    .string({ error: "Enter a time zone, like America/Lima." })
    .trim()
    .refine(isTimeZone, "Enter a time zone from the IANA list, like America/Lima or Europe/Madrid."),
  gender: z.enum(["neutral", "female", "male"], { error: "Choose how letters address them." }).optional(),
});
export type OfficialInput = z.infer<typeof officialSchema>;

/** The columns an officials CSV may have, in the order the import page lists them. */
export const IMPORT_COLUMNS = ["name", "title", "organisation", "country", "email", "postal_address", "language", "time_zone"] as const;

