/**
 * A message whose words change with a count, one form per CLDR plural category. `#` stands for the
 * count as the language writes it. `other` is always required; which of the rest a language needs
 * comes from `Intl.PluralRules` (Arabic uses all six), and a unit test checks every catalogue.
 */
export interface Plural {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

const rules = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

/** The plural rules of a language, built once (Intl objects cost far more to create than to use). */
export function pluralRules(language: string): Intl.PluralRules {
  let r = rules.get(language);
  if (!r) rules.set(language, (r = new Intl.PluralRules(language)));
  return r;
}

/** A count written as `language` writes numbers. */
export function formatCount(n: number, language: string): string {
  let f = numbers.get(language);
  if (!f) numbers.set(language, (f = new Intl.NumberFormat(language)));
  return f.format(n);
}

/** The form of `message` for `n`, with `#` replaced by the count written in the language. */
export function plural(language: string, message: Plural, n: number, count: string = formatCount(n, language)): string {
  const form = message[pluralRules(language).select(n)] ?? message.other;
  return form.replaceAll("#", count);
}

/** Whether a catalogue value is a plural message (an object with an `other` form). */
export function isPlural(value: unknown): value is Plural {
  return typeof value === "object" && value !== null && typeof (value as Plural).other === "string";
}

/** `text` with each `{name}` replaced by its value as plain data; unknown names stay as written. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}

/**
 * A message whose words agree with a person's grammatical gender (ICU `select`): `female` and
 * `male` when it is known, `other` in neutral words otherwise. Every language writes all three,
 * even where they are the same (a unit test checks), so adding a language cannot leave one out.
 */
export interface Gendered {
  readonly female: string;
  readonly male: string;
  readonly other: string;
}

/** Whether a catalogue value is a gendered message. */
export function isGendered(value: unknown): value is Gendered {
  return typeof value === "object" && value !== null && typeof (value as Gendered).female === "string" && typeof (value as Gendered).male === "string" && typeof (value as Gendered).other === "string";
}

/** The form of `message` for `gender` ('female', 'male', anything else neutral), `{name}`s filled in. */
export function gendered(message: Gendered, gender: string | null | undefined, values: Record<string, string> = {}): string {
  return fill(gender === "female" ? message.female : gender === "male" ? message.male : message.other, values);
}
