import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "#db/client";
import { env } from "#core/env";
import { fanOutUpdate } from "#jobs/updates";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { startOwnRedis, type OwnRedis } from "../support/redis";
import { addManySupporters, draftUpdate, markDue } from "./support";

// Invariant 4 across an interrupted fan-out: Redis refusing the sends of a page in the middle, then
// a retried run, leaves each recipient exactly once in the ledger and exactly one queued send.
const PAGE = env().UPDATE_FANOUT_PAGE_SIZE;
const RECIPIENTS = PAGE * 2 + PAGE / 2; // three keyset pages, the last one short

/** A queue whose addBulk calls reach Redis until `before` is called for call number `failAt`, which decides what happens. */
function interrupting(q: Queue, failAt: number, before: () => Promise<void>): Queue {
  let calls = 0;
  return new Proxy(q, {
    get(target, prop, receiver) {
      if (prop !== "addBulk") return Reflect.get(target, prop, receiver);
      return async (jobs: Parameters<Queue["addBulk"]>[0]) => {
        calls += 1;
        if (calls === failAt) await before();
        return target.addBulk(jobs);
      };
    },
  });
}

async function ledger(db: DB, updateId: number) {
  return db.selectFrom("update_recipients").select(["supporter_id", "status"]).where("update_id", "=", updateId).orderBy("supporter_id").execute();
}

/** The send jobs waiting in the queue for an update, by supporter (ids read from Redis; a few payloads checked whole). */
async function queuedSends(q: Queue, updateId: number) {
  const ids = (await q.getRanges(["waiting"], 0, -1)).filter((id) => id.startsWith(`update-${updateId}-`));
  for (const id of ids.slice(0, 3)) expect((await q.getJob(id))?.data).toEqual({ updateId, supporterId: Number(id.split("-")[2]) }); // ids only
  return ids.map((id) => ({ id, supporterId: Number(id.split("-")[2]) })).sort((a, b) => a.supporterId - b.supporterId);
}

async function expectExactlyOnce(db: DB, q: Queue, updateId: number, audience: number[]) {
  const rows = await ledger(db, updateId);
  expect(rows.map((r) => r.supporter_id)).toEqual(audience);
  expect(rows.every((r) => r.status === "queued")).toBe(true);
  const sends = await queuedSends(q, updateId);
  expect(sends.map((s) => s.supporterId)).toEqual(audience);
  expect(sends.map((s) => s.id)).toEqual(audience.map((s) => `update-${updateId}-${s}`));
  const update = await db.selectFrom("updates").select(["status", "audience_size"]).where("id", "=", updateId).executeTakeFirstOrThrow();
  expect(update).toEqual({ status: "sending", audience_size: audience.length });
}

describe("a fan-out interrupted mid-way and run again", () => {
  let p: TestPlatform;
  let own: OwnRedis;
  let audience: number[];

  beforeAll(async () => {
    // No worker: the sends stay in Redis to be counted.
    p = await startTestPlatform({ web: false, worker: false });
    own = await startOwnRedis();
    audience = await addManySupporters(p.database.db, RECIPIENTS, `resume${process.pid}`);
  });
  afterAll(async () => {
    await p?.stop();
    await own?.kill();
  });

  it("Redis refusing a page's sends fails the run; the retry queues exactly the missing ones, once each", async () => {
    const db = p.database.db;
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const q = new Queue("updates", { connection: redis, prefix: `${p.prefix}refused` });
    try {
      const updateId = await draftUpdate(db);
      await markDue(db, updateId);
      // The second page's second addBulk call (each page is PAGE / 1,000 calls) is refused.
      const failAt = PAGE / 1_000 + 2;
      const refusing = interrupting(q, failAt, async () => { throw new Error("Connection is closed."); });
      await expect(fanOutUpdate(db, updateId, { queue: refusing })).rejects.toThrow("Connection is closed.");

      const mid = await db.selectFrom("updates").select(["status", "fanned_out_at"]).where("id", "=", updateId).executeTakeFirstOrThrow();
      expect(mid).toEqual({ status: "sending", fanned_out_at: null });
      expect((await ledger(db, updateId)).length).toBeGreaterThanOrEqual(PAGE * 2);
      const before = await queuedSends(q, updateId);
      expect(before.length).toBeGreaterThan(0);
      expect(before.length).toBeLessThan(RECIPIENTS); // a gap the retry has to fill

      const retry = await fanOutUpdate(db, updateId, { queue: q });
      expect(retry).toMatchObject({ claim: "resume", audience: RECIPIENTS });
      await expectExactlyOnce(db, q, updateId, audience);
      // Run once more, as a retried job would: nothing changes.
      expect((await fanOutUpdate(db, updateId, { queue: q })).claim).toBe("done");
      await expectExactlyOnce(db, q, updateId, audience);
    } finally {
      await q.obliterate({ force: true });
      await q.close();
      redis.disconnect();
    }
  });

  it("Redis killed during a page and back empty: the rerun queues every recipient again, once each", async () => {
    const db = p.database.db;
    // As producers connect: no offline queue, so a dead Redis refuses at once. No retry either: with
    // one, a page's addBulk in flight at the kill is sent again once Redis is back (harmless, the same
    // job ids), and Redis would not be empty when the rerun starts, which is the case under test.
    const redis = new Redis(own.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    redis.on("error", () => {});
    const q = new Queue("updates", { connection: redis, prefix: p.prefix });
    q.on("error", () => {});
    try {
      const updateId = await draftUpdate(db);
      await markDue(db, updateId);
      const killing = interrupting(q, PAGE / 1_000 + 1, () => own.kill());
      await expect(fanOutUpdate(db, updateId, { queue: killing })).rejects.toThrow();
      expect((await ledger(db, updateId)).length).toBeGreaterThanOrEqual(PAGE * 2);

      await own.restart(); // empty: the first page's jobs are gone with it
      await new Promise<void>((resolve) => (redis.status === "ready" ? resolve() : redis.once("ready", () => resolve())));
      expect(await queuedSends(q, updateId)).toEqual([]);
      const retry = await fanOutUpdate(db, updateId, { queue: q });
      expect(retry).toMatchObject({ claim: "resume", enqueued: RECIPIENTS, audience: RECIPIENTS });
      await expectExactlyOnce(db, q, updateId, audience);
    } finally {
      await q.close().catch(() => {});
      redis.disconnect();
    }
  });
});
