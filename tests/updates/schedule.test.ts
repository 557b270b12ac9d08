import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelUpdate, scheduleUpdate } from "#db/queries/updates";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { fanOutUpdate, updatesTick } from "#jobs/updates";
import { dropFanOut, queueFanOut } from "#services/updates";
import { withQueue } from "../support/supporter";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { addSupporter, draftUpdate, sentUpdate } from "./support";

describe("scheduled updates", () => {
  let p: TestPlatform;
  const reader = `sched.${process.pid}@example.org`;

  beforeAll(async () => {
    process.env.MAIL_RATE_PER_SECOND = "100";
    p = await startTestPlatform();
    await addSupporter(p.database.db, { email: reader });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("goes out once its time comes, not before", async () => {
    const db = p.database.db;
    const updateId = await draftUpdate(db);
    const at = new Date(Date.now() + 1_500);
    expect(await scheduleUpdate(db, updateId, at)).toBe(true);
    await queueFanOut(updateId, at);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.smtp.to(reader)).toHaveLength(0);
    expect((await db.selectFrom("updates").select("status").where("id", "=", updateId).executeTakeFirstOrThrow()).status).toBe("scheduled");
    await sentUpdate(p, updateId);
    expect(p.smtp.to(reader)).toHaveLength(1);
  });

  it("a cancelled update never goes out, whether or not its delayed job was dropped", async () => {
    const db = p.database.db;
    const before = p.smtp.to(reader).length;
    const dropped = await draftUpdate(db);
    const kept = await draftUpdate(db);
    const at = new Date(Date.now() + 800);
    for (const id of [dropped, kept]) {
      await scheduleUpdate(db, id, at);
      await queueFanOut(id, at);
      expect(await cancelUpdate(db, id)).toBe(true);
    }
    await dropFanOut(dropped, at);
    await new Promise((r) => setTimeout(r, 2_500));
    const rows = await db.selectFrom("updates").select(["status", "started_at"]).where("id", "in", [dropped, kept]).execute();
    expect(rows).toEqual([{ status: "cancelled", started_at: null }, { status: "cancelled", started_at: null }]);
    expect(p.smtp.to(reader)).toHaveLength(before);
    expect(await db.selectFrom("update_recipients").selectAll().where("update_id", "in", [dropped, kept]).execute()).toHaveLength(0);
  });

  it("bad input: a sent or cancelled update can be neither rescheduled nor cancelled", async () => {
    const db = p.database.db;
    const updateId = await draftUpdate(db);
    expect(await cancelUpdate(db, updateId)).toBe(true);
    expect(await cancelUpdate(db, updateId)).toBe(false);
    expect(await scheduleUpdate(db, updateId, new Date())).toBe(false);
  });

  it("the updates tick starts a due update whose job Redis lost, and queues again sends Redis lost", async () => {
    const db = p.database.db;
    const lostStart = await draftUpdate(db);
    await scheduleUpdate(db, lostStart, new Date());
    const before = p.smtp.to(reader).length;

    // A fan-out whose sends went to a queue no worker reads: the ledger says queued, Redis has nothing for them.
    const lostSends = await draftUpdate(db);
    await scheduleUpdate(db, lostSends, new Date());
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const elsewhere = new Queue("updates", { connection: redis, prefix: `${p.prefix}lost` });
    await fanOutUpdate(db, lostSends, { queue: elsewhere });
    await elsewhere.obliterate({ force: true });
    await elsewhere.close();
    redis.disconnect();

    await withQueue(p, "updates", (q) => updatesTick(db, q));
    await sentUpdate(p, lostStart);
    // The tick leaves the ledger alone while the queue still holds jobs (the first tick's), so tick until it is done.
    await eventually(async () => {
      await withQueue(p, "updates", (q) => updatesTick(db, q));
      const u = await db.selectFrom("updates").select("status").where("id", "=", lostSends).executeTakeFirstOrThrow();
      return u.status === "sent";
    }, 20_000, "the lost sends to be queued again and sent");
    expect(p.smtp.to(reader)).toHaveLength(before + 2);
  });
});
