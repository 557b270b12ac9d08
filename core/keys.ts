import { createHmac, hkdfSync } from "node:crypto";
import { env } from "./env";

/**
 * Every keyed hash the platform makes, each with a key of its own derived from SESSION_SECRET
 * (HKDF-SHA256, one `info` label per purpose): a reference of one kind never verifies as another,
 * and one purpose's key says nothing about the others'.
 */
export const KEY_PURPOSES = {
  "letter-pdf-link": "inkwell letter PDF link v1",
  "unsubscribe-link": "inkwell unsubscribe link v1",
  "ip-fingerprint": "inkwell IP fingerprint v1",
  "rate-limit-key": "inkwell rate limiter key v1",
  "return-path": "inkwell return and reply address v1",
  "suppressed-address": "inkwell suppressed address v1",
  "thanks-page": "inkwell thank-you page v1",
} as const;

export type KeyPurpose = keyof typeof KEY_PURPOSES;

const SALT = "inkwell keyed hashes";
const derived = new Map<string, Buffer>();

/** The 256-bit key for one purpose, derived from `secret` (derived once per process). */
export function purposeKey(purpose: KeyPurpose, secret: string): Buffer {
  const id = `${purpose}\0${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, SALT, KEY_PURPOSES[purpose], 32));
    derived.set(id, key);
  }
  return key;
}

/** HMAC-SHA256 of `message` under the purpose's own key. */
export function keyedHash(purpose: KeyPurpose, secret: string, message: string): Buffer {
  return createHmac("sha256", purposeKey(purpose, secret)).update(message).digest();
}

/** The keyed hash by which a suppressed address is remembered once its supporter is erased. */
export function suppressionHash(email: string, secret = env().SESSION_SECRET): Buffer {
  return keyedHash("suppressed-address", secret, email.trim().toLowerCase());
}
