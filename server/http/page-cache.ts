import type { ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { Language } from "#app/i18n";
import { requestLanguage } from "#app/i18n/language.server";
import { publicCampaignPageVersion } from "#app/lib/campaign-page.server";
import { publicCacheMs } from "#app/lib/public-cache.server";
import { pageChecks } from "#core/metrics";

// Rendering a campaign page with React costs far more than reading its (already cached) data. For
// visitors without a session the page is the same for everyone reading it in one language, except
// the CSP nonce, which must be fresh per response: the HTML is kept split at the nonce and joined
// with the new one on each send. Keyed by path and language; kept as long as the data (PUBLIC_CACHE_MS).
// When a kept page expires its data is read again (one shared read) while the kept copy is still
// sent: the same data renders the same page, so it is kept for another interval without React;
// only changed data has the next request render it (docs/decisions/page-refresh-on-change.md).
const CACHEABLE_PATH = /^\/campaigns\/[a-z0-9-]+$/;
// No cookie, or only the language choice: anything else (a campaigner's session) renders afresh.
const ANONYMOUS_COOKIE = /^\s*(lang=[a-z]{2}\s*;?\s*)?$/;
// Per connection or per response: never replayed from the cache.
const OWN_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive", "date", "x-request-id", "etag"]);
const MAX_PAGES = 500;
const PREFIX = "/campaigns/".length;
/** Where the page's loader leaves the version of the data it rendered (res.locals). */
export const PAGE_VERSION = "keptPageVersion";

export interface Page {
  expires: number;
  /** Set while one request renders the page afresh, or its data is checked: the others are sent this copy meanwhile. */
  refreshing: boolean;
  /** What the page was rendered from (`publicCampaignPageVersion`); undefined once it must be rendered again. */
  version?: string;
  slug: string;
  language: Language;
  headers: [string, string | number | string[]][];
  /** The Content-Security-Policy and the body, split where the nonce was. */
  csp: string[];
  body: Buffer[];
}

const globalForPages = globalThis as unknown as { __inkwellPageCache?: Map<string, Page> };

// Visitors send a handful of distinct Accept-Language headers: each is negotiated once.
const languages = new Map<string, Language>();
function languageOf(cookie: string, acceptLanguage: string): Language {
  const key = `${cookie}\0${acceptLanguage}`;
  let language = languages.get(key);
  if (language === undefined) {
    if (languages.size >= 1_000) languages.clear();
    const headers = { cookie, "accept-language": acceptLanguage } as Record<string, string>;
    language = requestLanguage({ headers: { get: (name: string) => headers[name.toLowerCase()] ?? null } } as unknown as globalThis.Request);
    languages.set(key, language);
  }
  return language;
}

function keyOf(url: string, cookie: string, acceptLanguage: string): { key: string; language: Language } | null {
  if (!CACHEABLE_PATH.test(url) || !ANONYMOUS_COOKIE.test(cookie)) return null;
  const language = languageOf(cookie, acceptLanguage);
  return { key: `${url}\0${language}`, language };
}

/** Reads an expired page's data again; the same data keeps the page for another interval, other data (or an error) leaves it to be rendered. */
function check(page: Page, version: string) {
  page.refreshing = true;
  page.version = undefined;
  publicCampaignPageVersion(page.slug, page.language).then(
    (now) => {
      const unchanged = now === version;
      if (unchanged) {
        page.version = version;
        page.expires = Date.now() + publicCacheMs();
      }
      pageChecks.labels(unchanged ? "unchanged" : "changed").inc();
      page.refreshing = false;
    },
    () => (page.refreshing = false),
  );
}

/** Whether a kept page may be sent now: fresh, being rendered or checked, or just now sent for a check. */
function sendable(page: Page): boolean {
  if (page.expires > Date.now() || page.refreshing) return true;
  if (page.version === undefined) return false;
  check(page, page.version);
  return true;
}

/**
 * The kept copy of an anonymous GET of `url` while it is fresh (or being rendered again), for the
 * hot read path (./hot-reads.ts) to send without Express; undefined when the page must be rendered.
 */
export function freshPage(url: string, cookie: string | undefined, acceptLanguage: string | undefined): Page | undefined {
  if (publicCacheMs() === 0) return undefined;
  const key = keyOf(url, cookie ?? "", acceptLanguage ?? "");
  const hit = key === null ? undefined : globalForPages.__inkwellPageCache?.get(key.key);
  return hit && sendable(hit) ? hit : undefined;
}

/** The length of the page's body with `nonce` in place. */
export function bodyLength(page: Page, nonce: string): number {
  return page.body.reduce((n, part) => n + part.length, 0) + (page.body.length - 1) * Buffer.byteLength(nonce);
}

/**
 * Ends the answer with the page's body, `nonce` written between its kept parts (corked into one
 * write): nothing the size of the page is made per answer. `head` sends no body (HEAD).
 */
export function endWithPage(res: ServerResponse, page: Page, nonce: string, head = false): void {
  if (head) return void res.end();
  const separator = Buffer.from(nonce);
  res.cork();
  for (let i = 0; i < page.body.length; i++) {
    if (i > 0) res.write(separator);
    res.write(page.body[i]);
  }
  res.end();
}

function send(res: Response, page: Page, nonce: string) {
  for (const [name, value] of page.headers) res.setHeader(name, value);
  res.setHeader("Content-Security-Policy", page.csp.join(nonce));
  res.setHeader("Content-Length", bodyLength(page, nonce));
  endWithPage(res.status(200), page, nonce);
}

/** Records what the rest of the chain writes, and keeps it when it is a complete anonymous 200 page. */
function record(res: Response, url: string, { key, language }: { key: string; language: Language }, nonce: string, ms: number) {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array));
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Response["write"];
  res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...a: unknown[]) => Response).call(this, chunk, ...rest);
  } as Response["end"];
  res.once("finish", () => {
    const csp = res.getHeader("content-security-policy");
    const type = String(res.getHeader("content-type") ?? "");
    if (res.statusCode !== 200 || res.getHeader("set-cookie") !== undefined || !type.startsWith("text/html") || typeof csp !== "string" || !csp.includes(nonce)) return;
    const headers = Object.entries(res.getHeaders())
      .filter(([name, value]) => value !== undefined && !OWN_HEADERS.has(name) && name !== "content-security-policy")
      .map(([name, value]) => [name, value] as Page["headers"][number]);
    const cache = (globalForPages.__inkwellPageCache ??= new Map());
    if (cache.size >= MAX_PAGES) cache.clear();
    const body = Buffer.concat(chunks).toString("utf8").split(nonce).map((part) => Buffer.from(part));
    const version = res.locals[PAGE_VERSION] as string | undefined;
    cache.set(key, { expires: Date.now() + ms, refreshing: false, version, slug: url.slice(PREFIX), language, headers, csp: csp.split(nonce), body });
  });
}

/** Express middleware: serves anonymous GETs of a campaign page from the cache, or renders and keeps them. */
export function pageCache(req: Request, res: Response, next: NextFunction) {
  const ms = publicCacheMs();
  const nonce = res.locals.cspNonce as string | undefined;
  if (ms === 0 || !nonce || req.method !== "GET") return next();
  const key = keyOf(req.originalUrl, req.headers.cookie ?? "", req.headers["accept-language"] ?? "");
  if (key === null) return next();
  const hit = globalForPages.__inkwellPageCache?.get(key.key);
  if (hit && sendable(hit)) return send(res, hit, nonce);
  // One request renders an expired page again; should it fail, the next one tries.
  if (hit) {
    hit.refreshing = true;
    res.once("close", () => (hit.refreshing = false));
  }
  record(res, req.originalUrl, key, nonce, ms);
  next();
}
