import { safeEqual } from "#core/tokens";
import { keyedHash } from "#core/keys";
import { env } from "#core/env";

function mac(signatureId: number, secret: string): Buffer {
  return keyedHash("letter-pdf-link", secret, `letter-pdf:${signatureId}`).subarray(0, 16);
}

/** An unguessable reference to one supporter's letter: its id and a keyed 128-bit MAC. */
export function letterRef(signatureId: number, secret = env().SESSION_SECRET): string {
  return `${signatureId}-${mac(signatureId, secret).toString("base64url")}`;
}

/** The signature id a reference names, or null when it was not issued by us. */
export function parseLetterRef(ref: string, secret = env().SESSION_SECRET): number | null {
  const match = /^([1-9][0-9]{0,15})-([A-Za-z0-9_-]{22})$/.exec(ref);
  if (!match) return null;
  const id = Number(match[1]);
  // Compared as text: a last character differing only in base64's unused bits is another reference, refused.
  return safeEqual(Buffer.from(match[2]!), Buffer.from(mac(id, secret).toString("base64url"))) ? id : null;
}
