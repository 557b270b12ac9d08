import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "#core/env";

/**
 * The key that encrypts authenticator secrets at rest. It is derived from SESSION_SECRET for this
 * purpose alone, so no other keyed value of the platform can stand in for it or reveal it.
 */
export function twoFactorSecretKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().SESSION_SECRET, "", "inkwell/two-factor-secret/v1", 32));
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

// The campaigner id is authenticated with the secret, so a row copied onto another account does not open.
const boundTo = (campaignerId: number) => Buffer.from(`campaigner:${campaignerId}`);

/** Encrypts an authenticator secret for one campaigner (AES-256-GCM): iv, tag, then ciphertext. */
export function sealTwoFactorSecret(secret: Buffer, campaignerId: number): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", twoFactorSecretKey(), iv);
  cipher.setAAD(boundTo(campaignerId));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Decrypts a sealed secret; throws if it was tampered with, belongs to someone else or the key changed. */
export function openTwoFactorSecret(sealed: Buffer, campaignerId: number): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", twoFactorSecretKey(), sealed.subarray(0, IV_BYTES));
  decipher.setAAD(boundTo(campaignerId));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
