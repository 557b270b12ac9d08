import { randomBytes } from "node:crypto";

// A fresh CSP nonce per response, cut from a block of random bytes drawn a few hundred responses at a time.
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

/** 128 random bits, base64: the Content-Security-Policy nonce of one response. */
export function freshNonce(): string {
  if (randomOffset + 16 > randomPool.length) {
    randomPool = randomBytes(4096);
    randomOffset = 0;
  }
  randomOffset += 16;
  return randomPool.toString("base64", randomOffset - 16, randomOffset);
}
