import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverAction } from "#services/deliveries";
import { csvOf, letterAction, OFFICIALS, writeAndConfirm } from "../support/letters";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailSettled, sign, signatureOf, supporter, withQueue } from "../support/supporter";
import { metric, scrape } from "./metrics";

// SMTP refusing for a while (421/451) only delays mail: jobs retry with backoff, and nothing is
// lost or sent twice. A permanent refusal (550) is given up on at once, counted and logged.
let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});
beforeEach(() => {
  p.smtp.failWith(null);
  p.smtp.failWhen(null);
});

async function counts() {
  const { rows } = await sql<{ signatures: number; letters: number; items: number }>`
    select (select count(*) from signatures)::int as signatures, (select count(*) from letters)::int as letters,
           (select count(*) from delivery_items)::int as items
  `.execute(p.database.db);
  return { ...rows[0]!, emails: p.smtp.messages.length, metrics: await scrape(p.url) };
}

const sent = (kind: string) => `inkwell_emails_sent_total{kind="${kind}"}`;
const failed = (kind: string, failure: string) => `inkwell_emails_failed_total{kind="${kind}",failure="${failure}"}`;

describe("SMTP refusing for a while", () => {
  it("retries confirmations refused with 451 with backoff, then sends each exactly once", async () => {
    const before = await counts();
    const attempts = p.smtp.attempts();
    p.smtp.failWith(451);
    const people = Array.from({ length: 5 }, (_, i) => supporter(`greylisted${i}`));
    for (const who of people) await sign(p, who);
    // Every message refused at least twice before the server accepts again.
    await eventually(async () => p.smtp.attempts() >= attempts + people.length * 2, 30_000, "refused attempts");
    expect(p.smtp.messages.length).toBe(before.emails);
    p.smtp.failWith(null);

    await eventually(async () => people.every((who) => p.smtp.to(who.email).length > 0), 30_000, "emails after the refusals");
    await mailSettled(p, 30_000);
    for (const who of people) {
      expect(p.smtp.to(who.email), who.email).toHaveLength(1);
      const sig = (await signatureOf(p.database.db, who.email))!;
      expect(sig.emails_sent).toBe(1);
      const job = await withQueue(p, "mail", (q) => q.getJob(`confirm-${sig.id}-1`));
      expect(job?.attemptsMade, who.email).toBeGreaterThanOrEqual(2);
    }
    const after = await counts();
    expect(after.signatures - before.signatures).toBe(people.length);
    expect(after.emails - before.emails).toBe(people.length);
    expect(metric(after.metrics, sent("confirmation")) - metric(before.metrics, sent("confirmation"))).toBe(people.length);
    expect(metric(after.metrics, failed("confirmation", "temporary")) - metric(before.metrics, failed("confirmation", "temporary")))
      .toBeGreaterThanOrEqual(people.length * 2);
  });

  it("gives up on a confirmation refused with 550 after one attempt, counts it, and never retries it", async () => {
    const before = await counts();
    const attempts = p.smtp.attempts();
    p.smtp.failWith(550);
    const who = supporter("bounced");
    await sign(p, who);
    await eventually(async () => metric(await scrape(p.url), failed("confirmation", "permanent")) > metric(before.metrics, failed("confirmation", "permanent")), 15_000, "the permanent failure");
    p.smtp.failWith(null);
    // Sweeps run every second here: give them several chances to send it again.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(p.smtp.attempts()).toBe(attempts + 1);
    expect(p.smtp.to(who.email)).toHaveLength(0);
    const sig = (await signatureOf(p.database.db, who.email))!;
    expect(sig).toMatchObject({ status: "pending", emails_sent: 0 });
    const job = await withQueue(p, "mail", async (q) => {
      const found = await q.getJob(`confirm-${sig.id}-1`);
      return { state: await found?.getState(), reason: found?.failedReason, attempts: found?.attemptsMade };
    });
    expect(job).toMatchObject({ state: "failed", reason: expect.stringMatching(/SMTP refused: 550/), attempts: 1 });
    const after = await counts();
    expect(after.signatures - before.signatures).toBe(1);
    expect(after.emails).toBe(before.emails);
  });

  it("retries a delivery batch refused with 421 and 451 with backoff, then delivers each letter once", { timeout: 90_000 }, async () => {
    const ids = await letterAction(p);
    const writers = [];
    for (let i = 0; i < 3; i++) writers.push(await writeAndConfirm(p, [ids.pardons]));
    const before = await counts();
    const attempts = p.smtp.attempts();
    p.smtp.failWhen((n) => (n === attempts + 1 ? 421 : n === attempts + 2 ? 451 : null));
    const { batches } = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.pardons] });
    expect(batches).toHaveLength(1);
    const delivery = () => p.database.db.selectFrom("deliveries").selectAll().where("id", "=", batches[0]!).executeTakeFirstOrThrow();
    const done = await eventually(async () => ((await delivery()).status === "sent" ? delivery() : null), 80_000, "the batch after the refusals");
    expect(p.smtp.attempts()).toBe(attempts + 3);

    const mails = p.smtp.messages.slice(before.emails).filter((m) => m.to.includes(OFFICIALS.pardons));
    expect(mails).toHaveLength(done.parts);
    expect(mails[0]!.messageId).toBe(`<delivery.${done.id}.1@inkwell.test>`);
    const names = mails.flatMap((m) => csvOf(m).slice(1).map((r) => r[0]));
    expect(names.sort()).toEqual(writers.map((w) => w.name).sort());
    // The batch is marked sent inside its job; the worker counts the email when BullMQ reports the job completed, a moment later.
    const after = await eventually(async () => {
      const now = await counts();
      return metric(now.metrics, sent("delivery")) > metric(before.metrics, sent("delivery")) ? now : null;
    }, 10_000, "the delivery email counted");
    expect(after.letters).toBe(before.letters);
    expect(after.items).toBe(before.items + writers.length);
    expect(metric(after.metrics, sent("delivery")) - metric(before.metrics, sent("delivery"))).toBe(1);
    expect(metric(after.metrics, failed("delivery", "temporary")) - metric(before.metrics, failed("delivery", "temporary"))).toBe(2);
  });
});
