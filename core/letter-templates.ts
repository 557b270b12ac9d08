/** Limits every letter keeps, checked in the form and backed by the database. */
export const LETTER_SUBJECT_MAX = 200;
export const LETTER_BODY_MAX = 5000;

/** The placeholders a letter template may use, and where their values come from. */
export const PLACEHOLDERS = [
  "supporter.name",
  "supporter.country",
  "supporter.postal_code",
  "target.name",
  "target.title",
  "target.organisation",
  "campaign.title",
  "action.title",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const known = new Set<string>(PLACEHOLDERS);

/** The placeholders a template names that Inkwell does not know; a template with any is refused. */
export function unknownPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name)))];
}

/**
 * Fills placeholders with values as plain data: a value is never evaluated or re-scanned, so a
 * supporter named "{{target.name}}" stays exactly that. Unknown or missing ones stay as written.
 */
export function renderTemplate(template: string, values: PlaceholderValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name as Placeholder];
    return value === undefined ? whole : value;
  });
}

const displayNames = new Map<string, Intl.DisplayNames>();
function countryNames(language: string): Intl.DisplayNames {
  let names = displayNames.get(language);
  if (!names) displayNames.set(language, (names = new Intl.DisplayNames([language], { type: "region" })));
  return names;
}

export interface LetterParties {
  language: string;
  supporter: { name: string; country: string; postalCode: string | null };
  target: { name: string; title: string; organisation: string };
  campaignTitle: string;
  actionTitle: string;
}

/** The placeholder values of one letter to one official, in the letter's language. */
export function letterValues(p: LetterParties): PlaceholderValues {
  const countries = countryNames(p.language);
  return {
    "supporter.name": p.supporter.name,
    "supporter.country": countries.of(p.supporter.country) ?? p.supporter.country,
    "supporter.postal_code": p.supporter.postalCode ?? "",
    "target.name": p.target.name,
    "target.title": p.target.title,
    "target.organisation": p.target.organisation,
    "campaign.title": p.campaignTitle,
    "action.title": p.actionTitle,
  };
}

/** A template cut into its text and its placeholders, in order, for a page to show each part its own way. */
export type LetterPart = { text: string } | { placeholder: Placeholder };

/** The parts of a template; an unknown placeholder stays as text (templates naming one are refused anyway). */
export function letterParts(template: string): LetterPart[] {
  const parts: LetterPart[] = [];
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!known.has(m[1]!)) continue;
    if (m.index > at) parts.push({ text: template.slice(at, m.index) });
    parts.push({ placeholder: m[1] as Placeholder });
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push({ text: template.slice(at) });
  return parts;
}

/** How a blank reads to the supporter, e.g. `[your name]`: the bracketed label in their language. */
export const blank = (label: string) => `[${label}]`;

/**
 * A template as a supporter edits it: each placeholder written as its readable blank (`[your
 * name]`), never as braces. `fromReadable` turns those exact blanks back into placeholders.
 */
export function toReadable(template: string, labels: Record<Placeholder, string>): string {
  return renderTemplate(template, Object.fromEntries(PLACEHOLDERS.map((p) => [p, blank(labels[p])])));
}

/** The stored form of a supporter's text: each readable blank back to its placeholder. */
export function fromReadable(text: string, labels: Record<Placeholder, string>): string {
  let out = text;
  for (const p of PLACEHOLDERS) out = out.split(blank(labels[p])).join(`{{${p}}}`);
  return out;
}

/** A template with its placeholders spelt one way (`{{ target.name }}` → `{{target.name}}`). */
export function canonicalPlaceholders(template: string): string {
  return renderTemplate(template, Object.fromEntries(PLACEHOLDERS.map((p) => [p, `{{${p}}}`])));
}
