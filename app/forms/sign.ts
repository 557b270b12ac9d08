import { z } from "zod";
import { LETTER_BODY_MAX, LETTER_SUBJECT_MAX } from "#core/letter-templates";
import { isCountryCode } from "../lib/countries";

// Messages are keys into the `errors` strings, so the same schema speaks both languages.
// U+FFFD is what a decoder leaves of malformed UTF-8 (and of a lone surrogate): refused like a control character.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFFFD\uFFFE\uFFFF]/;
const LINE_BREAKS = /[\r\n\t]/;

export const text = (max: number, { multiline = false } = {}) =>
  z
    .string({ error: "required" })
    .transform((s) => s.normalize("NFC").trim())
    .refine((s) => !CONTROL_CHARS.test(s) && (multiline || !LINE_BREAKS.test(s)), "controlChars")
    .refine((s) => s.length <= max, "tooLong");

const optionalText = (max: number, opts?: { multiline?: boolean }) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), text(max, opts).optional());

/** A field hidden from people and screen readers: whatever fills it is a robot. */
export const HONEYPOT_FIELD = "hp_note";

/** The sign form, shared by the server action and the browser (Conform). */
export const signSchema = z.object({
  name: text(100).refine((s) => s.length > 0, "required"),
  email: z
    .string({ error: "required" })
    .trim()
    .max(254, "tooLong")
    .refine((s) => !CONTROL_CHARS.test(s), "controlChars")
    .pipe(z.email("email")),
  country: z.string({ error: "country" }).refine(isCountryCode, "country"),
  postalCode: optionalText(16).refine((s) => s === undefined || /^[\p{L}\p{N} -]+$/u.test(s), "postalCode"),
  comment: optionalText(1000, { multiline: true }),
  updates: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
});

export type SignForm = z.infer<typeof signSchema>;

const ids = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number({ error: "chooseOfficial" }).int("chooseOfficial").positive("chooseOfficial")),
);

/** The letter form: the sign fields plus the letter and the officials it goes to. */
export const letterSchema = signSchema.extend({
  subject: text(LETTER_SUBJECT_MAX).refine((s) => s.length > 0, "blank"),
  body: text(LETTER_BODY_MAX, { multiline: true })
    .transform((s) => s.replace(/\r\n?/g, "\n"))
    .refine((s) => s.length > 0, "blank"),
  targets: ids.refine((a) => a.length > 0, "chooseOfficial"),
});

