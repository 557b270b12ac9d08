import { timingSafeEqual } from "node:crypto";
import { env as emailsEnv } from "#core/env";
import { keyedHash } from "#core/keys";

function mac(supporterId: number, campaignId: number, secret: string): Buffer {
  return keyedHash("unsubscribe-link", secret, `unsubscribe:${supporterId}:${campaignId}`).subarray(0, 16);
}

/** A reference naming one supporter and one campaign, with a keyed 128-bit MAC: it cannot be forged or altered. */
export function unsubscribeRef(supporterId: number, campaignId: number, secret = emailsEnv().SESSION_SECRET): string {
  return `${supporterId}-${campaignId}-${mac(supporterId, campaignId, secret).toString("base64url")}`;
}

/** The public unsubscribe address for a supporter and a campaign. */
export function unsubscribeUrl(supporterId: number, campaignId: number): string {
  return `${emailsEnv().APP_URL}/unsubscribe/${unsubscribeRef(supporterId, campaignId)}`;
}

/** The supporter and campaign a reference names, or null when we did not issue it. */
export function parseUnsubscribeRef(ref: string, secret = emailsEnv().SESSION_SECRET): { supporterId: number; campaignId: number } | null {
  const match = /^([1-9][0-9]{0,15})-([1-9][0-9]{0,9})-([A-Za-z0-9_-]{22})$/.exec(ref);
  if (!match) return null;
  const supporterId = Number(match[1]);
  const campaignId = Number(match[2]);
  // Compared as text: a last character differing only in base64's unused bits is another reference, refused.
  const given = Buffer.from(match[3]!);
  const expected = Buffer.from(mac(supporterId, campaignId, secret).toString("base64url"));
  return given.length === expected.length && timingSafeEqual(given, expected) ? { supporterId, campaignId } : null;
}

/** The RFC 8058 headers that let a mail client offer one-click unsubscribe. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
