import { parse, type Submission } from "@conform-to/dom";
import { checkSignForm } from "./sign-rules";

function blanksMissing(value: unknown): unknown {
  if (value === "") return undefined;
  if (Array.isArray(value)) return value.map(blanksMissing);
  return value;
}

/**
 * The sign (or letter) form checked in the browser, as a Conform submission: a field left empty
 * counts as missing, as Conform's zod coercion reads it on the server.
 */
export function parseSignForm(formData: FormData, { letter }: { letter: boolean }): Submission<Record<string, unknown>> {
  return parse(formData, {
    resolve(payload) {
      const values = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, blanksMissing(v)]));
      return checkSignForm(values, letter);
    },
  });
}
