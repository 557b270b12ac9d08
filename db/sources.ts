/** A channel name as stored: trimmed, lower-cased, 1–40 of a-z 0-9 . _ - (starting with a letter or digit); anything else is dropped. */
export function normaliseSource(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const s = value.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9._-]{0,39}$/.test(s) ? s : null;
}
