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
