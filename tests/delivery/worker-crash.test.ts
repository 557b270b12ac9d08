import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLetters } from "#db/bulk-load";
import { deliverAction } from "#services/deliveries";
import { csvOf, letterAction, OFFICIALS } from "../support/letters";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { startProcess } from "../support/processes";

const LETTERS = 40;

const startWorker = (p: TestPlatform) => startProcess(p, { DELIVERY_MAX_BYTES: "200000", JOB_LOCK_MS: "2000" });

describe("a worker killed in the middle of a batch", () => {
  let p: TestPlatform;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    process.env.DELIVERY_MAX_BYTES = "200000"; // small parts, so the batch has several
    p = await startTestPlatform({ web: false, worker: false });
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    p?.smtp.holdWhen(null);
    await p?.stop();
  });

  it("delivers each letter to the official once after another worker takes over", async () => {
    const ids = await letterAction(p);
    await loadLetters(p.database.db, ids.actionId, ids.justice, LETTERS);
    p.smtp.holdWhen((attempt) => attempt === 2); // the second part hangs: the worker is mid-batch
    const { batches } = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const delivery = () => p.database.db.selectFrom("deliveries").selectAll().where("id", "=", batches[0]!).executeTakeFirstOrThrow();
    expect((await delivery()).parts).toBeGreaterThan(2);

    const first = startWorker(p);
    workers.push(first);
    await eventually(async () => p.smtp.attempts() >= 2, 30_000, "the worker to reach the second part");
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect((await delivery()).status).toBe("pending");

    p.smtp.holdWhen(null);
    workers.push(startWorker(p));
    const done = await eventually(async () => ((await delivery()).status === "sent" ? delivery() : null), 60_000, "batch sent by the second worker");

    const mails = p.smtp.messages.filter((m) => m.to.includes(OFFICIALS.justice));
    const byMessageId = new Map(mails.map((m) => [m.messageId, m]));
    expect(byMessageId.size).toBe(done.parts); // re-sends, if any, reuse the part's Message-ID
    const names = [...byMessageId.values()].flatMap((m) => csvOf(m).slice(1).map((r) => r[0]));
    expect(names).toHaveLength(LETTERS);
    expect(new Set(names).size).toBe(LETTERS);
  });
});
