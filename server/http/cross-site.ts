import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { isOneClickUnsubscribe } from "../one-click-unsubscribe";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request's Origin names the host it was sent to (X-Forwarded-Host first, then Host).
 * A request without Origin is not judged here: the forms check Sec-Fetch-Site and Referer too.
 */
export function originIsOwnHost(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = (req.headers["x-forwarded-host"] as string | undefined)?.split(",")[0]?.trim() ?? req.headers.host;
  try {
    return origin !== "null" && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A state-changing request that a browser says came from another site is refused here with a
 * clear 403 (Remix would otherwise abort it with a 500). One-click unsubscribe is the exception:
 * mail providers post it from their own origin, and it carries its own signed link.
 */
export function crossSiteGuard(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method) || req.headers.origin === undefined) return next();
  if (isOneClickUnsubscribe(req.originalUrl)) {
    delete req.headers.origin;
    return next();
  }
  if (originIsOwnHost(req)) return next();
  res.status(403).type("text/plain").set("Cache-Control", "no-store").send("This form can only be sent from Inkwell itself. Go back to the page, reload it and try again.");
}
