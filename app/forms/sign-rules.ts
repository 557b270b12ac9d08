import { LETTER_BODY_MAX, LETTER_SUBJECT_MAX } from "#core/letter-templates";
import { isCountryCode } from "../lib/countries";

// The rules of the sign and letter forms, without zod: the server's schema (forms/sign.ts) is built
// on them, and the browser checks a form with them as the supporter types, so the same input gets
// the same message with and without JavaScript (a unit test compares both on random forms). zod in
// the browser would be most of the letter page's JavaScript: docs/decisions/client-validation.md.

// Messages are keys into the `errors` strings. U+FFFD is what a decoder leaves of malformed UTF-8
// (and of a lone surrogate): refused like a control character.
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFFFD\uFFFE\uFFFF]/;
const LINE_BREAKS = /[\r\n\t]/;
export const EMAIL = /^[A-Za-z0-9_'+-]+(?:\.[A-Za-z0-9_'+-]+)*@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
export const POSTAL_CODE = /^[\p{L}\p{N} -]+$/u;
export const EMAIL_MAX = 254;

/** A field hidden from people and screen readers: whatever fills it is a robot. */
export const HONEYPOT_FIELD = "hp_note";

/** The longest value of each text field. */
export const LIMITS = { name: 100, postalCode: 16, comment: 1000, subject: LETTER_SUBJECT_MAX, body: LETTER_BODY_MAX } as const;

/** How a text field is tidied before it is checked: composed characters, no surrounding spaces. */
export const tidy = (s: string) => s.normalize("NFC").trim();
export const hasControlChars = (s: string, multiline: boolean) => CONTROL_CHARS.test(s) || (!multiline && LINE_BREAKS.test(s));
export const isBlank = (v: unknown) => typeof v === "string" && v.trim() === "";
export { isCountryCode };

type Errors = Record<string, string[]>;

function textField(errors: Errors, name: string, raw: unknown, max: number, { multiline = false, empty }: { multiline?: boolean; empty?: string }): string | undefined {
  if (typeof raw !== "string") return void (errors[name] = ["required"]);
  const s = tidy(raw);
  const found = [hasControlChars(s, multiline) && "controlChars", s.length > max && "tooLong", empty !== undefined && s.length === 0 && empty].filter((x): x is string => !!x);
  if (found.length) errors[name] = found;
  return s;
}

function optionalTextField(errors: Errors, name: string, raw: unknown, max: number, multiline = false): string | undefined {
  if (raw === undefined || isBlank(raw)) return undefined;
  return textField(errors, name, raw, max, { multiline });
}

/**
 * The browser's check of a sign (or, with `letter`, a letter) form's values, as Conform reads
 * them from the form with blanks left out: the same messages as the server's schema gives.
 */
export function checkSignForm(values: Record<string, unknown>, letter: boolean): { value?: Record<string, unknown>; error?: Errors } {
  const errors: Errors = {};
  const value: Record<string, unknown> = {};
  value.name = textField(errors, "name", values.name, LIMITS.name, { empty: "required" });
  if (typeof values.email !== "string") errors.email = ["required"];
  else {
    const email = values.email.trim();
    const found = [email.length > EMAIL_MAX && "tooLong", CONTROL_CHARS.test(email) && "controlChars"].filter((x): x is string => !!x);
    if (found.length) errors.email = found;
    else if (!EMAIL.test(email)) errors.email = ["email"];
    value.email = email;
  }
  if (typeof values.country !== "string" || !isCountryCode(values.country)) errors.country = ["country"];
  value.country = values.country;
  const postalCode = optionalTextField(errors, "postalCode", values.postalCode, LIMITS.postalCode);
  if (postalCode !== undefined && !POSTAL_CODE.test(postalCode)) (errors.postalCode ??= []).push("postalCode");
  value.postalCode = postalCode;
  value.comment = optionalTextField(errors, "comment", values.comment, LIMITS.comment, true);
  value.updates = values.updates === "on" || values.updates === "true";
  if (letter) {
    value.subject = textField(errors, "subject", values.subject, LIMITS.subject, { empty: "blank" });
    const body = textField(errors, "body", values.body, LIMITS.body, { multiline: true });
    if (body !== undefined && !errors.body && body.length === 0) errors.body = ["blank"];
    value.body = body?.replace(/\r\n?/g, "\n");
    const raw = values.targets === undefined ? [] : Array.isArray(values.targets) ? values.targets : [values.targets];
    const ids = raw.map((v, i) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) errors[`targets[${i}]`] = ["chooseOfficial"];
      return n;
    });
    if (ids.length === 0) errors.targets = ["chooseOfficial"];
    value.targets = ids;
  }
  return Object.keys(errors).length ? { error: errors } : { value };
}
