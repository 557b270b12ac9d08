import { createHmac } from "node:crypto";
import { safeEqual } from "#core/tokens";
import { env } from "#core/env";

function mac(signatureId: number): Buffer {
  return createHmac("sha256", env().SESSION_SECRET).update(`letter-pdf:${signatureId}`).digest().subarray(0, 16);
}

/** An unguessable reference to one supporter's letter: its id and a keyed 128-bit MAC. */
export function letterRef(signatureId: number): string {
  return `${signatureId}-${mac(signatureId).toString("base64url")}`;
}

/** The signature id a reference names, or null when it was not issued by us. */
export function parseLetterRef(ref: string): number | null {
  const match = /^([1-9][0-9]{0,15})-([A-Za-z0-9_-]{22})$/.exec(ref);
  if (!match) return null;
  const id = Number(match[1]);
  return safeEqual(Buffer.from(match[2]!, "base64url"), mac(id)) ? id : null;
}
