import { z } from "zod";
import { CONTROL_CHARS, EMAIL, EMAIL_MAX, HONEYPOT_FIELD, LIMITS, POSTAL_CODE, hasControlChars, isBlank, isCountryCode, tidy } from "./sign-rules";

// Messages are keys into the `errors` strings, so the same schema speaks every language. The rules
// themselves live in sign-rules.ts, which the browser also checks the form with.
export { HONEYPOT_FIELD };

export const text = (max: number, { multiline = false } = {}) =>
  z
    .string({ error: "required" })
    .transform(tidy)
    .refine((s) => !hasControlChars(s, multiline), "controlChars")
    .refine((s) => s.length <= max, "tooLong");

const optionalText = (max: number, opts?: { multiline?: boolean }) =>
  z.preprocess((v) => (isBlank(v) ? undefined : v), text(max, opts).optional());

/** The sign form, shared by the server action and the browser (Conform). */
export const signSchema = z.object({
  name: text(LIMITS.name).refine((s) => s.length > 0, "required"),
  email: z
    .string({ error: "required" })
    .trim()
    .max(EMAIL_MAX, "tooLong")
    .refine((s) => !CONTROL_CHARS.test(s), "controlChars")
    // Named "email" only when nothing else is wrong with it.
    .refine((s) => s.length > EMAIL_MAX || CONTROL_CHARS.test(s) || EMAIL.test(s), "email"),
  country: z.string({ error: "country" }).refine(isCountryCode, "country"),
  postalCode: optionalText(LIMITS.postalCode).refine((s) => s === undefined || POSTAL_CODE.test(s), "postalCode"),
  comment: optionalText(LIMITS.comment, { multiline: true }),
  updates: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
});

export type SignForm = z.infer<typeof signSchema>;

const ids = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number({ error: "chooseOfficial" }).int("chooseOfficial").positive("chooseOfficial")),
);

/** The letter form: the sign fields plus the letter and the officials it goes to. */
export const letterSchema = signSchema.extend({
  subject: text(LIMITS.subject).refine((s) => s.length > 0, "blank"),
  body: text(LIMITS.body, { multiline: true })
    .transform((s) => s.replace(/\r\n?/g, "\n"))
    .refine((s) => s.length > 0, "blank"),
  targets: ids.refine((a) => a.length > 0, "chooseOfficial"),
});

