/** Languages every page and email exists in. */
export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (v: unknown): v is Language => LANGUAGES.includes(v as Language);

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

/** Confirmed count as a share of the goal, 0..100, for progress bars. */
export function progressPercent(count: number, goal: number): number {
  if (goal <= 0) return 100;
  return Math.min(100, Math.floor((count / goal) * 100));
}
