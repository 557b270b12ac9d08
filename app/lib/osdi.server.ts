import { db } from "#db/client";
import { findApiCaller, isWellFormedApiKey, touchApiKey, type ApiCaller } from "#db/queries/api-keys";
import type { ApiScope } from "#db/schema";
import { log } from "#core/logger";
import { env } from "#core/env";
import { consume } from "./rate-limit.server";

/** The header OSDI clients send their key in. */
export const TOKEN_HEADER = "OSDI-API-Token";
export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 25;

const HAL_HEADERS = { "Content-Type": "application/hal+json; charset=utf-8", "Cache-Control": "no-store", Vary: TOKEN_HEADER };

/** The API's base URL, as clients follow it in links. */
export function apiBase(): string {
  return `${env().APP_URL}/api/v1`;
}

/** A HAL+JSON answer. */
export function hal(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HAL_HEADERS, ...headers } });
}

/** An error in the API's one shape: `{ error, message, fields? }`; thrown, it ends the request. */
export function apiError(status: number, error: string, message: string, extra: Record<string, unknown> = {}): Response {
  return hal({ error, message, ...extra }, status, status === 401 ? { "WWW-Authenticate": `${TOKEN_HEADER} realm="inkwell"` } : {});
}

/**
 * The key behind a request, when it carries `scope`: 401 without a live key, 403 without the scope,
 * 429 past the key's per-minute limit. Its last use is recorded at most once a minute.
 */
export async function requireApiCaller(request: Request, scope: ApiScope): Promise<ApiCaller> {
  const presented = request.headers.get(TOKEN_HEADER)?.trim() ?? "";
  if (!presented) throw apiError(401, "unauthorized", `Send your API key in the ${TOKEN_HEADER} header.`);
  const caller = isWellFormedApiKey(presented) ? await findApiCaller(db(), presented) : undefined;
  if (!caller) throw apiError(401, "unauthorized", "This API key is not valid or has been revoked.");
  const limit = await consume("api-key", String(caller.keyId));
  if (!limit.ok) throw hal({ error: "rate_limited", message: "Too many requests with this key; wait and try again." }, 429, { "Retry-After": String(limit.retryAfterSeconds) });
  if (!caller.scopes.includes(scope)) throw apiError(403, "forbidden", `This API key does not have the "${scope}" scope.`);
  if (!caller.lastUsedAt || Date.now() - caller.lastUsedAt.getTime() > 60_000) {
    touchApiKey(db(), caller.keyId).catch((err: Error) => log.warn("api key use not recorded", { keyId: caller.keyId, err: err.message }));
  }
  return caller;
}

/** A positive database id from a URL segment, or a 404. */
export function idParam(value: string | undefined, what: string): number {
  const id = /^[1-9][0-9]{0,9}$/.test(value ?? "") ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw apiError(404, "not_found", `No such ${what}.`);
  return id;
}

/** `per_page` and the keyset cursor `after` of a collection request; 400 for values that are not numbers. */
export function pageParams(request: Request): { perPage: number; after: number } {
  const url = new URL(request.url);
  const read = (name: string, fallback: number, max: number) => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === "") return fallback;
    if (!/^[0-9]{1,10}$/.test(raw) || Number(raw) > max) throw apiError(400, "bad_request", `${name} must be a whole number from 0 to ${max}.`);
    return Number(raw);
  };
  return { perPage: Math.max(1, read("per_page", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)), after: read("after", 0, 2_147_483_647) };
}

/**
 * An OSDI collection: the page's items embedded under `rel`, a link to each, and `next` while a
 * full page came back. Pages are keyset pages (`after` the last id seen), so `page` counts from the
 * cursor rather than from the start and no total is computed.
 */
export function collection<T extends { id: number }>(request: Request, rel: string, rows: T[], perPage: number, toResource: (row: T) => Record<string, unknown>) {
  const url = new URL(request.url);
  const self = `${env().APP_URL}${url.pathname}`;
  const page = (after: number) => `${self}?per_page=${perPage}${after > 0 ? `&after=${after}` : ""}`;
  const items = rows.map(toResource);
  const last = rows.at(-1);
  const after = Number(url.searchParams.get("after") ?? 0) || 0;
  return hal({
    per_page: perPage,
    page: after === 0 ? 1 : undefined,
    _links: {
      self: { href: page(after) },
      ...(rows.length === perPage && last ? { next: { href: page(last.id) } } : {}),
      [rel]: items.map((i) => ({ href: (i._links as { self: { href: string } }).self.href })),
    },
    _embedded: { [rel]: items },
  });
}

/** OSDI's identifier for an Inkwell id. */
export const identifier = (kind: string, id: number) => `inkwell:${kind}-${id}`;

/** The curie every document declares, so `osdi:` link names resolve to the spec. */
export const CURIES = [{ name: "osdi", href: "https://opensupporter.github.io/osdi-docs/{rel}", templated: true }];
