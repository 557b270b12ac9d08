import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { LETTER_ACTION, letterAction, postLetter } from "../support/letters";
import { DEMO, eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { startOwnRedis, type OwnRedis } from "../support/redis";
import { ACTION_PATH, SENT_PATH, mailSettled, page, signatureOf, supporter } from "../support/supporter";

// Invariant 1: a supporter told "check your email" is already in Postgres, and Redis being down
// only delays the email: the sweeper sends what never reached the queue once Redis is back.
const OUTAGE_MS = 30_000;

let redis: OwnRedis;
let p: TestPlatform;
let officials: number[];
beforeAll(async () => {
  redis = await startOwnRedis();
  p = await startTestPlatform({ redisUrl: redis.url });
  const ids = await letterAction(p);
  officials = [ids.justice, ids.pardons];
});
afterAll(async () => {
  await p?.stop();
  await redis?.kill();
});

async function counts() {
  const { rows } = await sql<{ signatures: number; letters: number }>`
    select (select count(*) from signatures)::int as signatures, (select count(*) from letters)::int as letters
  `.execute(p.database.db);
  return { ...rows[0]!, emails: p.smtp.messages.length };
}

describe("Redis stopped for 30 seconds while supporters sign", () => {
  const before = supporter("before");
  const during: { who: ReturnType<typeof supporter>; letter: boolean }[] = [];
  let start: Awaited<ReturnType<typeof counts>>;

  it("signs as usual while Redis is up", async () => {
    const res = await postSign(p.url, before);
    expect(res.headers.get("location")).toBe(SENT_PATH);
    await eventually(async () => p.smtp.to(before.email).length === 1, 15_000, "the first email");
    start = await counts();
  });

  it("keeps telling every supporter to check their email, with the signature already committed", { timeout: OUTAGE_MS + 30_000 }, async () => {
    await redis.kill();
    const killedAt = Date.now();
    const ready = await page(`${p.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.html)).toMatchObject({ checks: { postgres: "ok", redis: "unreachable" } });

    // A few supporters at a time, all through the outage (and until 30 have signed, however slow the machine); every third one writes a letter.
    for (let round = 0; Date.now() - killedAt < OUTAGE_MS || during.length < 30; round++) {
      const batch = Array.from({ length: 3 }, (_, i) => ({ who: supporter(`during${round}-${i}`), letter: i === 2 }));
      const responses = await Promise.all(batch.map(({ who, letter }) => letter
        ? postLetter(p, { ...who, subject: "Free them", body: "Please free the innocent prisoners." }, officials)
        : postSign(p.url, who)));
      const sentPath = (letter: boolean) => `/campaigns/${DEMO.campaign}/${letter ? LETTER_ACTION : DEMO.action}/sent`;
      expect(responses.map((r) => [r.status, r.headers.get("location")])).toEqual(batch.map((b) => [302, sentPath(b.letter)]));
      for (const { who } of batch) {
        expect(await signatureOf(p.database.db, who.email)).toMatchObject({ status: "pending", emails_requested: 1, emails_sent: 0 });
      }
      during.push(...batch);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const sent = await page(p.url + SENT_PATH);
    expect(sent.status).toBe(200);
    expect(sent.html).toContain(en.sent.title);
    expect((await page(p.url + ACTION_PATH)).status).toBe(200);
    expect(p.smtp.messages.length).toBe(start.emails);
  });

  it("sends every accepted signature exactly one confirmation email once Redis is back", async () => {
    await redis.restart();
    await eventually(async () => during.every(({ who }) => p.smtp.to(who.email).length > 0), 30_000, "emails after the outage");
    await mailSettled(p, 30_000);
    for (const who of [before, ...during.map((d) => d.who)]) expect(p.smtp.to(who.email), who.email).toHaveLength(1);
    for (const { who } of during) expect((await signatureOf(p.database.db, who.email))!.emails_sent).toBe(1);
    const end = await counts();
    expect(during.length).toBeGreaterThanOrEqual(30);
    expect(end.signatures - start.signatures).toBe(during.length);
    expect(end.letters - start.letters).toBe(during.filter((d) => d.letter).length);
    expect(end.emails - start.emails).toBe(during.length);
  });
});
