import { safeEqual } from "#core/tokens";
import { keyedHash } from "#core/keys";
import { env } from "#core/env";

function mac(signatureId: number, secret: string): string {
  return keyedHash("thanks-page", secret, `thanks:${signatureId}`).subarray(0, 16).toString("base64url");
}

/**
 * The reference the thank-you page is given after a confirmation: it names the confirmed
 * signature with a keyed 128-bit MAC, so only whoever confirmed can ask which actions they took.
 */
export function thanksRef(signatureId: number, secret = env().SESSION_SECRET): string {
  return `${signatureId}-${mac(signatureId, secret)}`;
}

/** The signature id a thank-you reference names, or null when it was not issued by us. */
export function parseThanksRef(ref: string | null, secret = env().SESSION_SECRET): number | null {
  const match = ref ? /^([1-9][0-9]{0,15})-([A-Za-z0-9_-]{22})$/.exec(ref) : null;
  if (!match) return null;
  const id = Number(match[1]);
  return safeEqual(Buffer.from(match[2]!), Buffer.from(mac(id, secret))) ? id : null;
}
