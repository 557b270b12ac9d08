/** The Content-Security-Policy of a page: scripts only from us and with this response's nonce. */
export function contentSecurityPolicy(nonce: string, frameAncestors = "'none'"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Inline style attributes (progress bars, email previews) are allowed; inline scripts are not.
    "style-src 'self' 'unsafe-inline'",
    // A campaign's image is an https address its campaigners chose; images cannot run code.
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-src 'self'",
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/**
 * The queue dashboard (bull-board) is a prebuilt single-page app: its scripts and styles are files
 * under its own path, its markup has inline styles, and it talks to its JSON API. Its web fonts
 * would come from Google; they are left out, so admins' browsing is not reported to a third party.
 */
export function queueDashboardPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** The header a route sets to allow framing by exactly these origins (space-separated); replaced by the policy. */
export const FRAME_ANCESTORS_NOTE = "X-Inkwell-Frame-Ancestors";

/** Adds the page-level security headers a route has not set itself. */
export function setDocumentSecurityHeaders(headers: Headers, nonce: string): void {
  // An embeddable action names the partner origins that may frame it; the note never leaves the server.
  const ancestors = headers.get(FRAME_ANCESTORS_NOTE);
  headers.delete(FRAME_ANCESTORS_NOTE);
  headers.set("Content-Security-Policy", contentSecurityPolicy(nonce, ancestors && /^[a-z0-9:/.[\] -]+$/.test(ancestors) ? ancestors : "'none'"));
  if (!headers.has("Referrer-Policy")) headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
}

/**
 * The headers every answer carries (pages, the API, assets, errors), as name-value pairs. Framing
 * is refused everywhere but embeddable actions, which set frame-ancestors (their partner list).
 */
export function responseHeaders(path: string, production: boolean): [string, string][] {
  return [
    ["X-Content-Type-Options", "nosniff"],
    ...(path.startsWith("/embed/") ? [] : [["X-Frame-Options", "DENY"] as [string, string]]),
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ...(production ? [["Strict-Transport-Security", "max-age=31536000; includeSubDomains"] as [string, string]] : []),
  ];
}
