import { createHmac, hkdfSync } from "node:crypto";

const DEVELOPMENT_SECRET = "inkwell-development-secret-change-me";

/**
 * A 256-bit key for one purpose, derived from SESSION_SECRET with HKDF and the purpose's own
 * label: a key that leaks through one use says nothing about the others.
 */
export function purposeKey(label: string, secret = process.env.SESSION_SECRET || DEVELOPMENT_SECRET): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `inkwell/${label}`, 32));
}

/** The keyed hash by which a suppressed address is remembered once its supporter is erased. */
export function suppressionHash(email: string, secret?: string): Buffer {
  return createHmac("sha256", purposeKey("suppressed-address", secret)).update(email.trim().toLowerCase(), "utf8").digest();
}
