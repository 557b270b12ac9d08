import { Secret, TOTP } from "otpauth";
import { beforeAll, describe, expect, it } from "vitest";

let crypto: typeof import("#app/lib/two-factor-crypto.server");
let totp: typeof import("#app/lib/two-factor.server");
beforeAll(async () => {
  process.env.SESSION_SECRET ??= "unit-test-secret-unit-test-secret";
  crypto = await import("#app/lib/two-factor-crypto.server");
  totp = await import("#app/lib/two-factor.server");
});

describe("authenticator secrets at rest", () => {
  it("opens what it sealed, for the same campaigner only, and refuses a tampered row", () => {
    const secret = Buffer.from(new Secret({ size: 20 }).bytes);
    const sealed = crypto.sealTwoFactorSecret(secret, 7);
    expect(sealed.includes(secret)).toBe(false);
    expect(crypto.openTwoFactorSecret(sealed, 7).equals(secret)).toBe(true);
    // A fresh IV each time: the same secret never seals to the same bytes.
    expect(crypto.sealTwoFactorSecret(secret, 7).equals(sealed)).toBe(false);
    expect(() => crypto.openTwoFactorSecret(sealed, 8)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => crypto.openTwoFactorSecret(tampered, 7)).toThrow();
  });

  it("derives a 256-bit key of its own, not the session secret itself", () => {
    const key = crypto.twoFactorSecretKey();
    expect(key).toHaveLength(32);
    expect(key.toString("latin1")).not.toContain(process.env.SESSION_SECRET!);
  });
});

describe("codes", () => {
  it("accepts the step before, the current and the step after, and names the step", () => {
    const secret = Buffer.from(new Secret({ size: 20 }).bytes);
    const app = new TOTP({ secret: new Secret({ buffer: Uint8Array.from(secret).buffer }), digits: 6, period: 30 });
    const now = 1_800_000_015_000;
    const step = Math.floor(now / 30_000);
    for (const d of [-1, 0, 1]) expect(totp.stepOfCode(secret, app.generate({ timestamp: (step + d) * 30_000 }), now)).toBe(step + d);
    for (const d of [-3, 3]) expect(totp.stepOfCode(secret, app.generate({ timestamp: (step + d) * 30_000 }), now)).toBeNull();
  });

  it("makes ten distinct recovery codes of 80 bits and reads them however they are typed", () => {
    const { codes, hashes } = totp.newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(hashes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect(totp.normaliseRecoveryCode(` ${codes[0]!.toUpperCase().replace(/-/g, " ")} `)).toBe(codes[0]!.replace(/-/g, ""));
    expect(totp.normaliseRecoveryCode("123456")).toBeNull();
    expect(totp.normaliseRecoveryCode("x".repeat(40))).toBeNull();
  });
});
