import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { normaliseEmail, progressPercent } from "#core/rules";
import { hashToken, isWellFormedToken, newToken } from "#core/tokens";

describe("email normalisation", () => {
  it("trims surrounding whitespace", () => {
    expect(normaliseEmail("  ana@example.org\t\n")).toBe("ana@example.org");
  });

  it("lower-cases the whole address", () => {
    expect(normaliseEmail("Ana.Quispe@Example.ORG")).toBe("ana.quispe@example.org");
  });

  it("composes to NFC so the same address typed two ways is one supporter", () => {
    const decomposed = "jose\u0301@example.org"; // e + combining acute accent
    const composed = "jos\u00e9@example.org";
    expect(normaliseEmail(decomposed)).toBe(composed);
    expect(normaliseEmail(" JOSE\u0301@EXAMPLE.ORG ")).toBe(normaliseEmail(composed));
  });
});

describe("confirmation tokens", () => {
  it("are 43 URL-safe characters carrying at least 128 bits", () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    expect(isWellFormedToken(token)).toBe(true);
  });

  it("never repeat", () => {
    const tokens = new Set(Array.from({ length: 1_000 }, () => newToken()));
    expect(tokens.size).toBe(1_000);
  });

  it("hash deterministically to SHA-256, never to the token itself", () => {
    const token = newToken();
    expect(hashToken(token).equals(hashToken(token))).toBe(true);
    expect(hashToken(token).equals(createHash("sha256").update(token).digest())).toBe(true);
    expect(hashToken(token).equals(Buffer.from(token))).toBe(false);
    expect(hashToken(token).toString("base64url")).not.toBe(token);
    expect(hashToken(newToken()).equals(hashToken(token))).toBe(false);
  });

  it("reject anything that is not 43 base64url characters before a lookup", () => {
    const token = newToken();
    expect(isWellFormedToken(token.slice(1))).toBe(false);
    expect(isWellFormedToken(`${token}A`)).toBe(false);
    expect(isWellFormedToken(`${token.slice(1)}+`)).toBe(false);
    expect(isWellFormedToken(`${token.slice(1)}.`)).toBe(false);
  });
});

describe("progress bar share", () => {
  it("is 0 with no signatures", () => {
    expect(progressPercent(0, 5_000)).toBe(0);
  });

  it("rounds down so a goal is only shown as met when it is", () => {
    expect(progressPercent(2_500, 5_000)).toBe(50);
    expect(progressPercent(4_999, 5_000)).toBe(99);
    expect(progressPercent(5_000, 5_000)).toBe(100);
  });

  it("never passes 100 when the goal is exceeded", () => {
    expect(progressPercent(12_000, 5_000)).toBe(100);
  });

  it("shows a full bar rather than dividing by a zero goal", () => {
    expect(progressPercent(3, 0)).toBe(100);
  });
});
