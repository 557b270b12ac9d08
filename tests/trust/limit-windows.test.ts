import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consume, consumeAll, refund } from "#app/lib/rate-limit.server";
import { startTestPlatform, type TestPlatform } from "../support/platform";

// A sign POST counts its three limits in one script (`consumeAll`); every other limit is counted one
// at a time (`consume`). Both must count the same windows, so neither can be used to get round the other.

let p: TestPlatform;
beforeAll(async () => {
  Object.assign(process.env, { RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: "3", RATE_LIMIT_SIGN_PER_EMAIL_PER_HOUR: "5" });
  p = await startTestPlatform({ limits: true });
});
afterAll(async () => {
  await p?.stop();
});

describe("limits counted together and one at a time", () => {
  it("share one window per key, refuse past the limit with the seconds left, and give back what refund returns", async () => {
    const ip = "198.51.100.77";
    const email = "windows@example.org";
    expect(await consume("sign-ip", ip)).toEqual({ ok: true });
    expect(await consume("sign-ip", ip)).toEqual({ ok: true });
    expect(await consumeAll([["sign-ip", ip], ["sign-email", email]])).toEqual([{ ok: true }, { ok: true }]);
    const [perIp, perEmail] = await consumeAll([["sign-ip", ip], ["sign-email", email]]);
    expect(perEmail).toEqual({ ok: true });
    expect(perIp.ok).toBe(false);
    if (!perIp.ok) expect(perIp.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    if (!perIp.ok) expect(perIp.retryAfterSeconds).toBeLessThanOrEqual(60);
    // The window counted together is the one counted alone.
    expect((await consume("sign-ip", ip)).ok).toBe(false);
    // Two counted on the address so far, and three more reach its limit of five, however they are counted.
    expect(await consumeAll([["sign-email", email], ["sign-email", `other-${email}`]])).toEqual([{ ok: true }, { ok: true }]);
    expect(await consume("sign-email", email)).toEqual({ ok: true });
    expect(await consumeAll([["sign-email", email]])).toEqual([{ ok: true }]);
    expect((await consumeAll([["sign-email", email]]))[0].ok).toBe(false);
    expect((await consume("sign-email", email)).ok).toBe(false);
    // Seven counted; three given back leave room for exactly one more.
    for (let i = 0; i < 3; i++) await refund("sign-email", email);
    expect(await consumeAll([["sign-email", email]])).toEqual([{ ok: true }]);
    expect((await consumeAll([["sign-email", email]]))[0].ok).toBe(false);
  });

  it("count nothing for an empty list, and keys of different limits apart", async () => {
    expect(await consumeAll([])).toEqual([]);
    const key = "198.51.100.78";
    for (let i = 0; i < 3; i++) expect((await consumeAll([["sign-ip", key]]))[0]).toEqual({ ok: true });
    // The same string as an address is another limit's key: not refused by the IP's count.
    expect(await consumeAll([["sign-ip", key], ["sign-email", key]])).toEqual([expect.objectContaining({ ok: false }), { ok: true }]);
  });
});
