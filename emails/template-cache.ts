import { randomBytes } from "node:crypto";

// A template rendered once with unguessable placeholders, then filled per message. It is only
// right if the template shows each value exactly as given: a value the template derives (upper-
// cases, truncates, formats) no longer contains its placeholder. So a template is checked when it
// is compiled, and a placeholder found a different number of times than declared is an error, not
// a silently wrong email.

/** Unguessable stand-ins for `keys`, safe in text, attributes and URLs. */
export function placeholders<K extends string>(keys: readonly K[], url: readonly K[] = []): Record<K, string> {
  const slot = randomBytes(8).toString("hex");
  return Object.fromEntries(keys.map((k) => [k, url.includes(k) ? `https://inkwell.invalid/${k}${slot}` : `inkwell${k.toLowerCase()}${slot}`])) as Record<K, string>;
}

export type Filler<K extends string> = (values: Record<K, string>, encode: (value: string) => string) => string;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A template cut at its placeholders: `pieces[i]`, then the value of `order[i]`, then `pieces[i + 1]`… */
export interface TemplateParts<K extends string> {
  pieces: readonly string[];
  order: readonly K[];
}

/**
 * Splits `template` at its placeholders. Throws when a placeholder occurs other than
 * `expected[key]` times (once unless stated), naming it.
 */
export function splitTemplate<K extends string>(template: string, slots: Record<K, string>, expected: Partial<Record<K, number>> = {}): TemplateParts<K> {
  const keys = Object.keys(slots) as K[];
  const byText = new Map(keys.map((k) => [slots[k], k]));
  const pattern = new RegExp(keys.map((k) => escapeRegExp(slots[k])).join("|"), "g");
  const pieces: string[] = [];
  const order: K[] = [];
  let last = 0;
  for (const match of template.matchAll(pattern)) {
    pieces.push(template.slice(last, match.index));
    order.push(byText.get(match[0])!);
    last = match.index + match[0].length;
  }
  pieces.push(template.slice(last));
  for (const key of keys) {
    const found = order.filter((k) => k === key).length;
    const wanted = expected[key] ?? 1;
    if (found !== wanted) throw new Error(`Template placeholder "${key}" found ${found} times, expected ${wanted}: the template must show the value as given, not derive from it`);
  }
  return { pieces, order };
}

/** The filler of `template` (see `splitTemplate`): each placeholder replaced by its value, encoded. */
export function compileTemplate<K extends string>(template: string, slots: Record<K, string>, expected: Partial<Record<K, number>> = {}): Filler<K> {
  return fillerOf(splitTemplate(template, slots, expected));
}

/** Fills split template parts with values, each encoded. */
export function fillerOf<K extends string>({ pieces, order }: TemplateParts<K>): Filler<K> {
  return (values, encode) => {
    let out = pieces[0]!;
    order.forEach((key, i) => (out += encode(values[key]) + pieces[i + 1]));
    return out;
  };
}
