import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { QUEUES_PATH } from "./queues-dashboard";

/** What pages and forms answer; anything else (TRACE, PUT, PROPFIND…) is refused before Remix sees it. */
const PAGE_METHODS = new Set(["GET", "HEAD", "POST"]);
/** The queue dashboard's own API also retries and removes jobs. */
const DASHBOARD_METHODS = new Set([...PAGE_METHODS, "PUT", "DELETE", "PATCH"]);
/** The bodies a browser's form sends: the only ones Inkwell reads. */
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);
/** Machine endpoints (the OSDI API's helpers, provider webhooks) take JSON, and only JSON. */
const JSON_PREFIXES = ["/api/v1/", "/webhooks/"];

function refuse(res: Response, status: number, message: string, headers: Record<string, string> = {}) {
  res.status(status).set({ "Cache-Control": "no-store", ...headers }).type("text/plain").send(message);
}

/**
 * Requests no browser sends are answered here with a clear 4xx, once for every route: an unknown
 * method gets 405 (Remix cannot even build a request for TRACE, and answered 500), a body that is
 * not a form gets 415. Reading the form itself, with its bounds, is app/lib/form-body.server.ts.
 */
export function protocolGuard(req: Request, res: Response, next: NextFunction) {
  const dashboard = req.path === QUEUES_PATH || req.path.startsWith(`${QUEUES_PATH}/`);
  if (dashboard) return DASHBOARD_METHODS.has(req.method) ? next() : refuse(res, 405, "Method not allowed.", { Allow: [...DASHBOARD_METHODS].join(", ") });
  if (req.method === "OPTIONS") {
    res.status(204).set({ Allow: [...PAGE_METHODS].join(", "), "Cache-Control": "no-store" }).end();
    return;
  }
  if (!PAGE_METHODS.has(req.method)) return refuse(res, 405, "Method not allowed.", { Allow: [...PAGE_METHODS].join(", ") });
  const length = Number(req.headers["content-length"] ?? 0);
  const hasBody = req.headers["transfer-encoding"] !== undefined || !(length === 0 || Number.isNaN(length));
  // A body on GET or HEAD is never read.
  if (!hasBody || req.method !== "POST") return next();
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (JSON_PREFIXES.some((prefix) => req.path.startsWith(prefix))) {
    return type === "application/json" ? next() : refuse(res, 415, "This address takes a JSON body (application/json).");
  }
  if (!FORM_TYPES.has(type)) return refuse(res, 415, "This address only takes forms sent by a browser (application/x-www-form-urlencoded or multipart/form-data).");
  next();
}

/** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?|\[[0-9a-f:.]{2,45}\])(?::(\d{1,5}))?$/i;

function plainHost(value: string): boolean {
  if (value.length > 255) return false;
  const m = HOST.exec(value);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 65_535);
}

/**
 * Whether the Host header (and the first X-Forwarded-Host, when a proxy sends one) names a host.
 * Every page address is built from them, and a malformed one ("a b", "[::1", "x:99999") made that
 * address unparseable and the answer a 500. A request without Host at all (HTTP/1.0) is let through.
 */
export function hostIsPlain(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host !== undefined && !plainHost(host)) return false;
  const forwarded = req.headers["x-forwarded-host"];
  if (forwarded === undefined) return true;
  return typeof forwarded === "string" && plainHost(forwarded.split(",")[0]!.trim());
}

/** Refuses a request whose Host or X-Forwarded-Host names no host, with a clear 400. */
export function hostGuard(req: Request, res: Response, next: NextFunction) {
  if (hostIsPlain(req)) return next();
  refuse(res, 400, "Bad request: the Host header does not name a host.");
}
