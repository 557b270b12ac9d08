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
