import type { z } from "zod";

/**
 * Every posted form (and every query string parsed as one) is read here, before Conform sees it.
 * Conform turns `name[99999999]=x` into an array of a hundred million slots and zod then reports
 * one error per slot, so a 30-byte body could cost minutes of CPU and gigabytes of memory. This
 * reader knows what each form can legitimately hold — its field names, which are lists and how
 * long, how long a value can be — and refuses anything else before any parsing. The cost of a
 * read is then linear in the body's size (itself capped by the server), and so is any reply that
 * echoes the form back. docs/security/request-bounds.md states the bounds.
 */

/** No form holds more entries than this, whatever its schema says. */
export const MAX_FORM_ENTRIES = 1_000;
/** A list field whose schema sets no maximum holds at most this many items. */
export const DEFAULT_LIST_MAX = 100;
/** Room for what a browser adds to a form: submit buttons, the honeypot, the anti-forgery token. */
const SPARE_ENTRIES = 20;
const KEY_MAX = 64;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const INDEXED_KEY = /^([A-Za-z_][A-Za-z0-9_-]*)\[(\d{1,7})\]$/;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

interface Field {
  /** 0 for a single value, otherwise the most items the list may hold. */
  list: number;
  /** Longest value accepted before validation (validation then gives its own, kinder message). */
  maxValue: number;
  file: boolean;
}

/** What one form may hold, derived from its zod schema(s). */
export interface FormShape {
  fields: ReadonlyMap<string, Field>;
  /** Whether fields not named in the shape are kept (plain names only) or dropped. */
  open: boolean;
  maxEntries: number;
  maxValue: number;
}

export interface ShapeOptions {
  /** Fields read outside the schema (`intent`, `csrf`, the honeypot). */
  extra?: string[];
  /** Fields that carry a file upload. */
  files?: string[];
  /** Longest value of a field whose schema sets no maximum (characters). */
  maxValue?: number;
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; shape?: Record<string, z.ZodType>; left?: z.ZodType; right?: z.ZodType; options?: z.ZodType[]; checks?: { _zod: { def: { check: string; maximum?: number } } }[] };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

function maxLength(s: z.ZodType): number | undefined {
  const check = defOf(s).checks?.find((c) => c._zod.def.check === "max_length");
  return check?._zod.def.maximum;
}

/** The array or string schema under wrappers (optional, default, preprocess, pipe, refine). */
function core(s: z.ZodType, depth = 0): { kind: "array" | "other"; max?: number } {
  const def = defOf(s);
  if (depth > 12) return { kind: "other" };
  if (def.type === "array") return { kind: "array", max: maxLength(s) };
  if (def.innerType) return core(def.innerType, depth + 1);
  if (def.type === "pipe") {
    const out = def.out ? core(def.out, depth + 1) : { kind: "other" as const };
    if (out.kind === "array") return out;
    const input = def.in ? core(def.in, depth + 1) : { kind: "other" as const };
    return input.kind === "array" ? input : { kind: "other", max: input.max ?? out.max ?? maxLength(s) };
  }
  return { kind: "other", max: maxLength(s) };
}

/** The named fields of an object schema, also under refinements, intersections and unions. */
function shapeOf(s: z.ZodType, depth = 0): Record<string, z.ZodType> {
  const def = defOf(s);
  if (depth > 12) return {};
  if (def.shape) return def.shape;
  if (def.innerType) return shapeOf(def.innerType, depth + 1);
  if (def.type === "pipe") return { ...(def.in ? shapeOf(def.in, depth + 1) : {}), ...(def.out ? shapeOf(def.out, depth + 1) : {}) };
  if (def.left && def.right) return { ...shapeOf(def.left, depth + 1), ...shapeOf(def.right, depth + 1) };
  if (def.options) return Object.assign({}, ...def.options.map((o) => shapeOf(o, depth + 1)));
  return {};
}

/** The shape of a form whose values are validated by these schemas (one per intent of the page). */
export function formShape(schemas: z.ZodType | z.ZodType[], options: ShapeOptions = {}): FormShape {
  const fallback = options.maxValue ?? 20_000;
  const fields = new Map<string, Field>();
  for (const schema of Array.isArray(schemas) ? schemas : [schemas]) {
    for (const [name, field] of Object.entries(shapeOf(schema))) {
      const c = core(field);
      const known = fields.get(name);
      const list = c.kind === "array" ? Math.min(c.max ?? DEFAULT_LIST_MAX, MAX_FORM_ENTRIES) : 0;
      // A declared maximum leaves room for surrounding spaces and line-break spelling, which validation trims.
      const maxValue = c.kind !== "array" && c.max !== undefined ? c.max * 2 + 100 : fallback;
      fields.set(name, { list: Math.max(list, known?.list ?? 0), maxValue: Math.max(maxValue, known?.maxValue ?? 0), file: false });
    }
  }
  for (const name of options.extra ?? []) if (!fields.has(name)) fields.set(name, { list: 0, maxValue: 1_000, file: false });
  for (const name of options.files ?? []) fields.set(name, { list: 0, maxValue: fallback, file: true });
  const slots = [...fields.values()].reduce((n, f) => n + Math.max(f.list, 1), 0);
  return { fields, open: false, maxEntries: Math.min(slots + SPARE_ENTRIES, MAX_FORM_ENTRIES), maxValue: fallback };
}

/** The shape of a workspace form: its schemas plus the hidden `csrf` and `intent` fields, longer texts allowed. */
export function workspaceShape(schemas: z.ZodType | z.ZodType[]): FormShape {
  return formShape(schemas, { extra: ["csrf", "intent"], maxValue: 100_000 });
}

/** A form read without a schema (a button with a hidden field or two): plain names only, nothing indexed. */
export function plainForm(maxValue = 20_000, maxEntries = 50): FormShape {
  return { fields: new Map(), open: true, maxEntries, maxValue };
}

/** A refusal the error boundary (or the form) shows: the body is never parsed further. */
export function formRefusal(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
const TOO_MUCH = "This form holds fields it does not have. Go back, reload the page and try again.";
const UNREADABLE = "The form could not be read. Go back, reload the page and try again.";

/** The entries of a form that this shape accepts; throws a 400 refusal for anything a real form cannot hold. */
export function boundEntries(entries: Iterable<[string, FormDataEntryValue]>, shape: FormShape): FormData {
  const out = new FormData();
  let count = 0;
  for (const [key, value] of entries) {
    if (++count > shape.maxEntries) throw formRefusal(400, "This form has far more fields than it can hold. Go back, reload the page and try again.");
    let field: Field | undefined;
    if (/[[\].]/.test(key)) {
      // Conform reads brackets and dots as paths: only a list field takes an index, below its length, and nothing nests.
      const indexed = key.length <= KEY_MAX ? INDEXED_KEY.exec(key) : null;
      field = indexed ? shape.fields.get(indexed[1]!) : undefined;
      if (!field || Number(indexed![2]) >= field.list) throw formRefusal(400, TOO_MUCH);
    } else {
      // A stray name no form of ours sends is dropped, never parsed or echoed.
      if (key.length > KEY_MAX || FORBIDDEN_KEYS.has(key) || !PLAIN_KEY.test(key)) continue;
      field = shape.fields.get(key);
      if (!field && !shape.open) continue;
    }
    const maxValue = field?.maxValue ?? shape.maxValue;
    if (typeof value === "string") {
      if (value.length > maxValue) throw formRefusal(400, "A field of this form is far longer than it can hold. Shorten it and try again.");
    } else if (!field?.file || value.size > maxValue) {
      throw formRefusal(400, "This form does not take that file. Go back, reload the page and try again.");
    }
    out.append(key, value);
  }
  return out;
}

/** The media type of a request body, lower-cased, without parameters. */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Reads a posted form through its shape: 415 for a body no browser form sends, 400 for one that
 * cannot be read or holds more than the form can. The returned FormData holds only what the form
 * can hold, so Conform's parse and any reply built from it stay within the same bound.
 */
export async function readForm(request: Request, shape: FormShape = plainForm()): Promise<FormData> {
  const type = mediaType(request);
  if (type === "" && request.body === null) return new FormData();
  if (!FORM_TYPES.has(type)) throw formRefusal(415, "This address only takes forms sent by a browser.");
  if (type === "multipart/form-data") {
    const form = await request.formData().catch(() => {
      throw formRefusal(400, UNREADABLE);
    });
    return boundEntries(form, shape);
  }
  const text = await request.text().catch(() => {
    throw formRefusal(400, UNREADABLE);
  });
  // Counted before URLSearchParams builds its list, so a body of ten thousand "&" costs nothing.
  let separators = 0;
  for (let at = text.indexOf("&"); at >= 0; at = text.indexOf("&", at + 1)) {
    if (++separators >= shape.maxEntries * 2 + 50) throw formRefusal(400, "This form has far more fields than it can hold. Go back, reload the page and try again.");
  }
  return boundEntries(new URLSearchParams(text).entries(), shape);
}

/** A query string read as a form (a GET filter): the same bound, as a FormData Conform can parse. */
export function boundedQuery(params: URLSearchParams, shape: FormShape): FormData {
  return boundEntries(params.entries(), shape);
}

/**
 * Reads a JSON body (the API's helpers): 415 for another media type, 400 for one that is not JSON.
 * The web server caps every body at 64 KB before this runs, so parsing it is bounded too.
 */
export async function readJson(request: Request): Promise<unknown> {
  if (mediaType(request) !== "application/json") throw formRefusal(415, "This address takes a JSON body (application/json).");
  const text = await request.text().catch(() => {
    throw formRefusal(400, "The body could not be read.");
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw formRefusal(400, "The body is not JSON.");
  }
}
