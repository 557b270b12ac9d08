/** Languages every page and email exists in. */
export const LANGUAGES = ["en", "fr", "es", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (v: unknown): v is Language => LANGUAGES.includes(v as Language);

/** The longest language tag Inkwell stores; the database checks the same bound. */
export const LANGUAGE_TAG_MAX = 35;

/**
 * A BCP 47 language tag in its canonical form ("pt-br" becomes "pt-BR"), or null when `raw` is
 * not one. Officials, letter templates and a campaign's own texts may be in any language.
 */
export function canonicalLanguageTag(raw: string): string | null {
  const value = raw.trim();
  // A two- or three-letter language first, as the database checks: "en", "ast", "zh-Hans", "es-419".
  if (!value || value.length > LANGUAGE_TAG_MAX || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value)) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(value);
    return tag && tag.length <= LANGUAGE_TAG_MAX ? tag : null;
  } catch {
    return null;
  }
}

const RTL_SCRIPTS = new Set(["Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"]);
/** Whether text in a language tag runs right to left ("ar", "fa", "he", "ur", "ku-Arab", …). */
export function isRightToLeft(tag: string): boolean {
  try {
    const script = new Intl.Locale(tag).maximize().script;
    return script !== undefined && RTL_SCRIPTS.has(script);
  } catch {
    return false;
  }
}

/** The `dir` attribute for text in a language. */
export const textDirection = (tag: string): "rtl" | "ltr" => (isRightToLeft(tag) ? "rtl" : "ltr");

/** How long a pending signature waits for confirmation before it expires. */
export const CONFIRMATION_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** When the one reminder goes out to a pending signature. */
export const REMINDER_AFTER_MS = 24 * 3600 * 1000;
/** Confirmation emails a signature may ever cause, the reminder included. */
export const MAX_CONFIRMATION_EMAILS = 3;

/** The form an email address is stored and looked up in: trimmed, NFC, lower-case. */
export function normaliseEmail(raw: string): string {
  return raw.trim().normalize("NFC").toLowerCase();
}

const GMAIL = new Set(["gmail.com", "googlemail.com"]);
const PLUS_TAGS = new Set(["outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "fastmail.com", "fastmail.fm", "protonmail.com", "proton.me", "pm.me", "gmx.com", "gmx.de"]);

/**
 * The one form of an address that its variants share (Gmail dots and +tags, googlemail.com; +tags
 * where the provider ignores them), as the database's `inkwell_canonical_email` computes it: what
 * limits per address are counted under.
 */
export function canonicalEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = (at < 0 ? email : email.slice(0, at)).toLowerCase();
  const domain = email.slice(at + 1).toLowerCase();
  if (GMAIL.has(domain)) return `${local.split("+")[0]!.replaceAll(".", "")}@gmail.com`;
  if (PLUS_TAGS.has(domain)) return `${local.split("+")[0]}@${domain}`;
  return `${local}@${domain}`;
}

/** Confirmed count as a share of the goal, 0..100, for progress bars. */
export function progressPercent(count: number, goal: number): number {
  if (goal <= 0) return 100;
  return Math.min(100, Math.floor((count / goal) * 100));
}
