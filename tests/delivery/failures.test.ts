import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { retryDelivery } from "#db/queries/deliveries";
import { sendBatch } from "#jobs/deliver";
import { deliverAction } from "#services/deliveries";
import { enqueue } from "#jobs/queues";
import { sendBatchJob } from "#jobs/definitions";
import { csvOf, letterAction, OFFICIALS, writeAndConfirm } from "../support/letters";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";

describe("delivery when things go wrong", () => {
  let p: TestPlatform;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  const toJustice = () => p.smtp.messages.filter((m) => m.to.includes(OFFICIALS.justice));
  const delivery = (id: number) => p.database.db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    process.env.DELIVERY_MAX_BYTES = "200000"; // a few letters per part, so batches split
    p = await startTestPlatform();
    ids = await letterAction(p);
  });
  afterAll(async () => {
    await p?.stop();
  });
  beforeEach(() => {
    p.smtp.failWith(null);
    p.smtp.failWhen(null);
  });

  it("splits a large batch into numbered parts and, after a lost connection mid-batch, sends each letter once", async () => {
    const long = "I ask you to act now. ".repeat(220); // ~4.8 KB per letter
    const writers = [];
    for (let i = 0; i < 14; i++) writers.push(await writeAndConfirm(p, [ids.justice], { body: long }));
    const before = p.smtp.attempts();
    p.smtp.failWhen((n) => (n === before + 2 ? 421 : null)); // the second part is refused once
    const { batches } = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const d = await eventually(async () => (await delivery(batches[0]!)).status === "sent" && delivery(batches[0]!), 40_000, "batch sent");
    expect(d.parts).toBeGreaterThan(1);
    const mails = toJustice();
    expect(mails).toHaveLength(d.parts);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(d.parts);
    for (const m of mails) expect(m.raw.length).toBeLessThan(200_000 * 1.1);
    expect(mails.map((m) => m.subject).join("\n")).toMatch(/parte 1 de/);
    const names = mails.flatMap((m) => csvOf(m).slice(1).map((r) => r[0]));
    expect(names.sort()).toEqual(writers.map((w) => w.name).sort());
  });

  it("marks a batch failed with the reason on a permanent refusal, and a retry sends the same batch", async () => {
    const writer = await writeAndConfirm(p, [ids.pardons]);
    p.smtp.failWith(550);
    const { batches } = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.pardons] });
    const failed = await eventually(async () => (await delivery(batches[0]!)).status === "failed" && delivery(batches[0]!), 20_000, "failed");
    expect(failed.error).toMatch(/SMTP 550/);
    p.smtp.failWith(null);
    expect(await retryDelivery(p.database.db, failed.id)).toBe(true);
    await enqueue(sendBatchJob, { deliveryId: failed.id }, { jobId: `batch-${failed.id}-retry` });
    await eventually(async () => (await delivery(failed.id)).status === "sent", 20_000, "sent after retry");
    const mail = p.smtp.messages.find((m) => m.to.includes(OFFICIALS.pardons) && csvOf(m).some((r) => r[0] === writer.name));
    expect(mail?.messageId).toBe(`<delivery.${failed.id}.1@inkwell.test>`);
  });

  it("never sends an invalidated signature", async () => {
    const kept = await writeAndConfirm(p, [ids.justice]);
    const dropped = await writeAndConfirm(p, [ids.justice]);
    await sql`update signatures set status = 'invalidated', invalidated_reason = 'test'
      where id = (select s.id from signatures s join supporters u on u.id = s.supporter_id where u.email = ${dropped.email})`.execute(p.database.db);
    const sent = toJustice().length;
    await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const [mail] = await eventually(async () => toJustice().length > sent && toJustice().slice(sent), 20_000, "batch");
    const names = csvOf(mail!).slice(1).map((r) => r[0]);
    expect(names).toEqual([kept.name]);
    expect(mail!.raw).not.toContain(dropped.name);
  });

  it("holds the letters of an official without an email address until one is set", async () => {
    await p.database.db.updateTable("targets").set({ email: null }).where("id", "=", ids.pardons).execute();
    const writer = await writeAndConfirm(p, [ids.pardons]);
    const held = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.pardons] });
    expect(held).toEqual({ batches: [], held: [ids.pardons] });
    await p.database.db.updateTable("targets").set({ email: OFFICIALS.pardons }).where("id", "=", ids.pardons).execute();
    const { batches } = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.pardons] });
    await eventually(async () => (await delivery(batches[0]!)).status === "sent", 20_000, "held letters sent");
    const last = p.smtp.messages.filter((m) => m.to.includes(OFFICIALS.pardons)).at(-1)!;
    expect(csvOf(last).slice(1).map((r) => r[0])).toEqual([writer.name]);
  });

  it("lets only one sender work on a batch at a time", async () => {
    await writeAndConfirm(p, [ids.justice]);
    const sent = toJustice().length;
    const { batches } = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const outcomes = await Promise.all([sendBatch(p.database.db, { deliveryId: batches[0]! }), sendBatch(p.database.db, { deliveryId: batches[0]! })]);
    await eventually(async () => (await delivery(batches[0]!)).status === "sent", 20_000, "sent");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(outcomes.filter((o) => o === "sent").length).toBeLessThanOrEqual(1);
    expect(toJustice().length - sent).toBe(1);
  });
});
