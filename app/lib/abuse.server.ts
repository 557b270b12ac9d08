import { disposableEmailBlocklistSet } from "disposable-email-domains-js";
import { HONEYPOT_FIELD } from "../forms/sign";
import { env } from "#core/env";
import { messages } from "../i18n";
import { requestLanguage } from "../i18n/language.server";

/**
 * True when a browser tells us the form was posted from another site. Browsers send Origin on
 * every POST (and Sec-Fetch-Site); when neither nor Referer is present (old browsers, privacy
 * tools, curl) the request is let through: the check stops forged cross-site posts, not scripts.
 */
export function isCrossSite(request: Request): boolean {
  if (request.headers.get("Sec-Fetch-Site") === "cross-site") return true;
  const claimed = request.headers.get("Origin") ?? request.headers.get("Referer");
  if (!claimed) return false;
  let origin: string;
  try {
    origin = new URL(claimed).origin;
  } catch {
    return true; // "null" (sandboxed frames, file:) or garbage
  }
  const own = new Set([new URL(env().APP_URL).origin, new URL(request.url).origin]);
  const host = request.headers.get("Host");
  if (host) own.add(`${new URL(request.url).protocol}//${host}`);
  return !own.has(origin);
}

/** Throws the 403 page when a public form was posted from another site. */
export function refuseCrossSite(request: Request): void {
  if (!isCrossSite(request)) return;
  throw new Response(messages(requestLanguage(request)).limits.crossSite, {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** A filled honeypot: a field people never see, so only robots fill it. */
export function honeypotFilled(formData: FormData): boolean {
  const value = formData.get(HONEYPOT_FIELD);
  return typeof value === "string" ? value.length > 0 : value !== null;
}

// The package builds a fresh Set of its whole list on every lookup; build it once per process.
let blocklist: Set<string> | undefined;

/** True for throwaway-mailbox domains (and their subdomains), from the maintained blocklist. */
export function isDisposableAddress(email: string): boolean {
  blocklist ??= disposableEmailBlocklistSet();
  const domain = email.slice(email.lastIndexOf("@") + 1).trim().toLowerCase();
  const labels = domain.split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    if (blocklist.has(labels.slice(i).join("."))) return true;
  }
  return false;
}
