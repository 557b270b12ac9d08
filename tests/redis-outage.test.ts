import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../app/i18n/en";
import { eventually, postSign, startTestPlatform, type TestPlatform } from "./support/platform";
import { startOwnRedis, type OwnRedis } from "./support/redis";
import { ACTION_PATH, SENT_PATH, mailSettled, page, signatureOf, supporter } from "./support/supporter";

// Invariant 1: a supporter told "check your email" is already in Postgres, and Redis being down
// only delays the email: the sweeper sends what never reached the queue once Redis is back.
let redis: OwnRedis;
let p: TestPlatform;
beforeAll(async () => {
  redis = await startOwnRedis();
  p = await startTestPlatform({ redisUrl: redis.url });
});
afterAll(async () => {
  await p?.stop();
  await redis?.kill();
});

describe("while Redis is down", () => {
  const before = supporter("before");
  const during = Array.from({ length: 5 }, (_, i) => supporter(`during${i}`));

  it("signs as usual while Redis is up", async () => {
    const res = await postSign(p.url, before);
    expect(res.headers.get("location")).toBe(SENT_PATH);
    await eventually(async () => p.smtp.to(before.email).length === 1, 15_000, "the first email");
  });

  it("still tells every supporter to check their email, with the signature already committed", async () => {
    await redis.kill();
    const responses = await Promise.all(during.map((who) => fetch(p.url + ACTION_PATH, {
      method: "POST", redirect: "manual", signal: AbortSignal.timeout(10_000),
      headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(who).toString(),
    })));
    expect(responses.map((r) => [r.status, r.headers.get("location")])).toEqual(during.map(() => [302, SENT_PATH]));
    for (const who of during) {
      expect(await signatureOf(p.database.db, who.email)).toMatchObject({ status: "pending", emails_requested: 1, emails_sent: 0 });
    }
    const sent = await page(p.url + SENT_PATH);
    expect(sent.status).toBe(200);
    expect(sent.html).toContain(en.sent.title);
  });

  it("sends every accepted signature exactly one confirmation email once Redis is back", async () => {
    await redis.restart();
    await eventually(async () => during.every((who) => p.smtp.to(who.email).length > 0), 20_000, "emails after the outage");
    await mailSettled(p);
    for (const who of [before, ...during]) expect(p.smtp.to(who.email), who.email).toHaveLength(1);
    for (const who of during) expect((await signatureOf(p.database.db, who.email))!.emails_sent).toBe(1);
  });
});
