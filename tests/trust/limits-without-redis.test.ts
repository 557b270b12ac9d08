import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { startOwnRedis, type OwnRedis } from "../support/redis";
import { ACTION_PATH, sign, signatureOf, supporter } from "../support/supporter";

let redis: OwnRedis;
let p: TestPlatform;
beforeAll(async () => {
  Object.assign(process.env, { RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: "3" });
  redis = await startOwnRedis();
  p = await startTestPlatform({ redisUrl: redis.url, limits: true });
});
afterAll(async () => {
  await p?.stop();
  await redis?.kill();
});

describe("rate limits while Redis is down", () => {
  it("keep signing open and still limit a burst, counting in the web process", { timeout: 90_000 }, async () => {
    await sign(p, supporter("before"), { "X-Forwarded-For": "203.0.113.200" });
    await redis.kill();
    const people = Array.from({ length: 3 }, (_, i) => supporter(`down${i}`));
    for (const person of people) await sign(p, person, { "X-Forwarded-For": "203.0.113.201" });
    for (const person of people) expect(await signatureOf(p.database.db, person.email)).toMatchObject({ status: "pending" });
    const over = await postSign(p.url, supporter("down-over"), ACTION_PATH, { "X-Forwarded-For": "203.0.113.201" });
    expect(over.status).toBe(429);
    const other = supporter("down-other");
    await sign(p, other, { "X-Forwarded-For": "203.0.113.202" });
    // Back up: the sweeper sends what was signed during the outage (and the workers can stop cleanly).
    await redis.restart();
    await eventually(async () => p.smtp.to(other.email).length > 0, 45_000, "emails after the outage");
  });
});
