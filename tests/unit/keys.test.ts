import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkEnvRules } from "#core/env-rules";
import { letterRef, parseLetterRef } from "#app/lib/letter-link.server";
import { envSchema as trustEnvSchema } from "#core/env";
import { hashIp } from "#core/tokens";
import { keyedHash, purposeKey } from "#core/keys";
import { secretWeakness } from "#core/secret-strength";
import { parseUnsubscribeRef, unsubscribeRef } from "#emails/unsubscribe-link";

const SECRET = randomBytes(48).toString("base64url");
const mac22 = (b: Buffer) => b.subarray(0, 16).toString("base64url");

describe("keys derived per purpose", () => {
  it("gives each purpose a different key, none of them the secret itself", () => {
    const keys = (["letter-pdf-link", "unsubscribe-link", "ip-fingerprint", "rate-limit-key"] as const).map((p) => purposeKey(p, SECRET).toString("hex"));
    expect(new Set(keys).size).toBe(4);
    expect(keys).not.toContain(Buffer.from(SECRET).toString("hex"));
  });

  it("never accepts a letter-link signature as an unsubscribe reference", () => {
    // A holder of letter links (or their key) signs the unsubscribe message for supporter 7, campaign 3.
    const forged = `7-3-${mac22(keyedHash("letter-pdf-link", SECRET, "unsubscribe:7:3"))}`;
    expect(parseUnsubscribeRef(forged, SECRET)).toBeNull();
    // The same with the secret itself, as every keyed hash was made before: refused too.
    expect(parseUnsubscribeRef(`7-3-${mac22(createHmac("sha256", SECRET).update("unsubscribe:7:3").digest())}`, SECRET)).toBeNull();
    expect(parseUnsubscribeRef(unsubscribeRef(7, 3, SECRET), SECRET)).toEqual({ supporterId: 7, campaignId: 3 });
  });

  it("never accepts an unsubscribe signature as a letter-link reference", () => {
    const forged = `42-${mac22(keyedHash("unsubscribe-link", SECRET, "letter-pdf:42"))}`;
    expect(parseLetterRef(forged, SECRET)).toBeNull();
    expect(parseLetterRef(`42-${mac22(createHmac("sha256", SECRET).update("letter-pdf:42").digest())}`, SECRET)).toBeNull();
    expect(parseLetterRef(letterRef(42, SECRET), SECRET)).toBe(42);
  });

  it("fingerprints an IP with its own key, unlike the limiter's", () => {
    expect(hashIp("203.0.113.9", purposeKey("ip-fingerprint", SECRET))).not.toEqual(hashIp("203.0.113.9", purposeKey("rate-limit-key", SECRET)));
  });
});

describe("secret strength", () => {
  const shipped = /^SESSION_SECRET=(.*)$/m.exec(readFileSync(".env.example", "utf8"))?.[1];

  it("calls every value shipped with Inkwell unfit", () => {
    expect(shipped).toBeTruthy();
    for (const known of [shipped!, "inkwell-development-secret-change-me", "test-secret-test-secret-test-secret", "bench-secret-bench-secret-bench-secret"]) {
      expect(secretWeakness(known)).toMatch(/published/);
    }
  });

  it("calls a short or predictable secret unfit, and a random one fit", () => {
    expect(secretWeakness("Kq8#pL2!vX9@")).toMatch(/shorter than 32/);
    expect(secretWeakness("a".repeat(64))).toMatch(/predictable/);
    expect(secretWeakness("abababababababababababababababababababab")).toMatch(/predictable/);
    expect(secretWeakness(randomBytes(48).toString("base64url"))).toBeNull();
    expect(secretWeakness(randomBytes(32).toString("hex"))).toBeNull();
  });

  const base = { NODE_ENV: "production", SESSION_SECRET: SECRET, SMTP_URL: "smtp://mail.example:587", DEMO_MODE: false, RATE_LIMITS: "on" as const };

  it("refuses in production what it only warns about elsewhere", () => {
    const weak = { ...base, SESSION_SECRET: shipped! };
    const refused = checkEnvRules(weak, { SESSION_SECRET: shipped });
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toMatch(/^SESSION_SECRET: .*randomBytes\(48\)/);
    const warned = checkEnvRules({ ...weak, NODE_ENV: "development" }, { SESSION_SECRET: shipped });
    expect(warned.errors).toEqual([]);
    expect(warned.warnings[0]).toMatch(/^SESSION_SECRET: /);
    expect(checkEnvRules(base, { SESSION_SECRET: SECRET })).toEqual({ errors: [], warnings: [] });
    expect(checkEnvRules({ ...base, IP_HASH_KEY: "short-key-123456" }, { SESSION_SECRET: SECRET }).errors[0]).toMatch(/^IP_HASH_KEY: /);
  });

  it("refuses demo mode, switched-off limits and a missing mail transport in production", () => {
    const source = { SESSION_SECRET: SECRET };
    expect(checkEnvRules({ ...base, DEMO_MODE: true }, source).errors[0]).toMatch(/^DEMO_MODE: .*NODE_ENV=production/);
    expect(checkEnvRules({ ...base, RATE_LIMITS: "off" }, source).errors[0]).toMatch(/^RATE_LIMITS: /);
    expect(checkEnvRules({ ...base, SMTP_URL: undefined }, source).errors[0]).toMatch(/^SMTP_URL: must be set/);
    expect(checkEnvRules({ ...base, NODE_ENV: "test", RATE_LIMITS: "off", SMTP_URL: undefined }, source).errors).toEqual([]);
  });
});

describe("TRUST_PROXY", () => {
  const parse = (TRUST_PROXY: string) => trustEnvSchema.safeParse({ TRUST_PROXY });

  it("accepts false, a hop count, the named ranges and lists of addresses and CIDRs", () => {
    const accepted: [string, unknown][] = [
      ["false", false], ["0", false], ["1", 1], ["2", 2], ["loopback", "loopback"],
      ["loopback, 10.0.0.0/8, fd00::/8", "loopback,10.0.0.0/8,fd00::/8"], ["linklocal,uniquelocal", "linklocal,uniquelocal"], ["203.0.113.7", "203.0.113.7"],
    ];
    for (const [value, setting] of accepted) expect(parse(value)).toMatchObject({ success: true, data: { TRUST_PROXY: setting } });
    expect(trustEnvSchema.parse({}).TRUST_PROXY).toBe("loopback");
  });

  it("refuses anything else, naming the variable", () => {
    for (const value of ["true", "yes", "10.0.0.0/33", "10.0.0.300", "loopback;1", "fd00::/129", "1/2/3", "99"]) {
      const result = parse(value);
      expect(result.success, value).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual(["TRUST_PROXY"]);
    }
  });

  it("refuses RATE_LIMITS other than on or off", () => {
    expect(trustEnvSchema.safeParse({ RATE_LIMITS: "no" }).success).toBe(false);
    expect(trustEnvSchema.parse({}).RATE_LIMITS).toBe("on");
  });
});

describe("references", () => {
  it("refuses a reference whose last character differs only in unused bits", () => {
    for (let id = 1; id <= 40; id++) {
      const letter = letterRef(id, SECRET);
      const unsubscribe = unsubscribeRef(id, 3, SECRET);
      // base64url's 22nd character carries 2 bits of the MAC: flipping its lowest bit changes only padding.
      const twin = (ref: string) => ref.slice(0, -1) + String.fromCharCode(ref.charCodeAt(ref.length - 1) ^ 1);
      expect(parseLetterRef(twin(letter), SECRET)).toBeNull();
      expect(parseUnsubscribeRef(twin(unsubscribe), SECRET)).toBeNull();
      expect(parseLetterRef(letter, SECRET)).toBe(id);
    }
  });
});
