import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh random token (256 bits) in URL-safe base64. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored for a token: its SHA-256 digest, never the token itself. */
export function hashToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Tokens are 43 characters of base64url; anything else is rejected before a lookup. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** A keyed hash of an IP address (under the IP fingerprint key), so raw addresses are never stored. */
export function hashIp(ip: string, key: Buffer): Buffer {
  return createHmac("sha256", key).update(`ip:${ip}`).digest().subarray(0, 16);
}

/** Compares two secrets in constant time. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
