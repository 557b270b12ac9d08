import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueFanOut } from "#services/updates";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { startProcess } from "../support/processes";
import { addManySupporters, draftUpdate, markDue, sentUpdate } from "./support";

const RECIPIENTS = 1_100; // two keyset pages of 1,000

const startWorker = (p: TestPlatform) => startProcess(p, { JOB_LOCK_MS: "2000", MAIL_RATE_PER_SECOND: "2000", UPDATE_FANOUT_PAGE_SIZE: "1000" });

describe("a worker killed in the middle of an update's fan-out", () => {
  let p: TestPlatform;
  const workers: ChildProcess[] = [];
  let blocker: pg.Client | undefined;

  beforeAll(async () => {
    p = await startTestPlatform({ web: false, worker: false });
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    p?.smtp.holdWhen(null);
    await blocker?.end().catch(() => {});
    await p?.stop();
  });

  it("sends the update to each recipient exactly once after another worker resumes it", async () => {
    const db = p.database.db;
    const ids = await addManySupporters(db, RECIPIENTS, `crash${process.pid}`);
    const updateId = await draftUpdate(db);
    await markDue(db, updateId);

    // Hold a lock the fan-out needs for its second page (the ledger's foreign key to one supporter),
    // so the worker is certainly mid-fan-out when it is killed; and hold SMTP, so no send completes.
    blocker = new pg.Client({ connectionString: p.database.url });
    await blocker.connect();
    await blocker.query("begin");
    await blocker.query("select id from supporters where id = $1 for update", [ids[1_050]]);
    p.smtp.holdWhen(() => true);

    const first = startWorker(p);
    workers.push(first);
    await queueFanOut(updateId, new Date());
    const ledger = async () => (await db.selectFrom("update_recipients").select(db.fn.countAll<number>().as("n")).where("update_id", "=", updateId).executeTakeFirstOrThrow()).n;
    await eventually(async () => Number(await ledger()) >= 1_000, 30_000, "the first page in the ledger");
    await new Promise((r) => setTimeout(r, 300));
    const mid = await db.selectFrom("updates").select(["status", "fanned_out_at"]).where("id", "=", updateId).executeTakeFirstOrThrow();
    expect(mid).toEqual({ status: "sending", fanned_out_at: null });
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect(p.smtp.messages).toHaveLength(0);

    await blocker.query("rollback");
    p.smtp.holdWhen(null);
    workers.push(startWorker(p));
    const done = await sentUpdate(p, updateId, 120_000);
    expect(done.audience_size).toBe(RECIPIENTS);

    const mails = p.smtp.messages;
    expect(mails).toHaveLength(RECIPIENTS);
    expect(new Set(mails.map((m) => m.to)).size).toBe(RECIPIENTS);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(RECIPIENTS);
    const statuses = await db.selectFrom("update_recipients").select("status").where("update_id", "=", updateId).where("status", "!=", "sent").execute();
    expect(statuses).toHaveLength(0);
  }, 180_000);
});
