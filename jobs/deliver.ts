import { UnrecoverableError, type Job, type Queue } from "bullmq";
import { sql } from "kysely";
import type { DB } from "#db/client";
import { deliveryContext, failDelivery, finishDelivery, markPartSent, pendingDeliveries, streamBatchItems, waitingCounts, type DeliveryContext } from "#db/queries/deliveries";
import { renderLetterBatch } from "#emails/letter-batch";
import { isPermanentSmtpError, sendMail } from "#emails/mailer";
import { deliverActionJob, noticeDeliveriesJob, sendBatchJob, sendStaffAlertJob } from "./definitions";
import { log } from "#core/logger";
import { enqueue, enqueueMany } from "./queues";
import { batchFiles, deliverAction } from "#services/deliveries";
import { letterDeliveredEvent } from "#services/webhook-events";
import { isOfficialFlagged } from "#services/held-letters";
import { env as inboundEnv } from "#core/env";
import { bounceAddress, replyAddress } from "#emails/return-path";

async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}

const SEND_LOCK = 0x1c0_0003;

/**
 * Sends every unsent part of a batch, each with its own fixed Message-ID, marking each part as it
 * goes. A retry, or another worker after a crash, sends only the parts not yet marked: the same
 * batch, never a new overlapping one. One sender per batch at a time (session advisory lock).
 */
export async function sendBatch(db: DB, { deliveryId }: { deliveryId: number }, job?: Job): Promise<string> {
  return db.connection().execute(async (conn) => {
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${SEND_LOCK}, ${deliveryId}::int4) as ok`.execute(conn);
    if (!lock.rows[0]?.ok) return "busy";
    try {
      const ctx = await deliveryContext(db, deliveryId);
      if (!ctx || ctx.delivery.status !== "pending") return "skipped";
      if (await isOfficialFlagged(db, ctx.target.id)) return "held";
      if (!ctx.target.email) {
        await alertOnFailure(await failDelivery(db, deliveryId, "The official has no email address."));
        throw new UnrecoverableError("official has no email address");
      }
      for (const part of ctx.parts) {
        if (part.sent_at) continue;
        await sendPart(db, ctx, part, ctx.target.email);
        await markPartSent(db, deliveryId, part.part);
      }
      await finishDelivery(db, deliveryId, "sent");
      await letterDeliveredEvent(db, deliveryId);
      log.info("batch delivered", { deliveryId, targetId: ctx.target.id, items: ctx.delivery.items, parts: ctx.parts.length });
      // Supporters hear their letter arrived; the batch is delivered even if this cannot be queued now.
      await enqueue(noticeDeliveriesJob, { deliveryId }).catch((err: Error) => log.warn("delivery notices not queued", { deliveryId, err: err.message }));
      return "sent";
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err;
      const smtp = err as { responseCode?: number; response?: string; message?: string };
      if (isPermanentSmtpError(err)) {
        await alertOnFailure(await failDelivery(db, deliveryId, `SMTP ${smtp.responseCode}: ${smtp.response ?? smtp.message}`));
        throw new UnrecoverableError(`SMTP refused the batch (${smtp.responseCode})`);
      }
      const finalAttempt = job ? job.attemptsMade + 1 >= (job.opts.attempts ?? 1) : false;
      if (finalAttempt) await alertOnFailure(await failDelivery(db, deliveryId, `Gave up after retries: ${smtp.message ?? String(err)}`));
      throw err;
    } finally {
      await sql`select pg_advisory_unlock(${SEND_LOCK}, ${deliveryId}::int4)`.execute(conn);
    }
  });
}

/** Queues the alert a failed batch recorded; the alerts sweeper sends it if Redis is away now. */
async function alertOnFailure(alertId: number | undefined): Promise<void> {
  if (alertId === undefined) return;
  await enqueue(sendStaffAlertJob, { alertId }).catch((err: Error) => log.warn("batch alert not queued", { alertId, err: err.message }));
}

async function sendPart(db: DB, ctx: DeliveryContext, part: DeliveryContext["parts"][number], to: string): Promise<void> {
  const range = { first_signature_id: part.first_signature_id, last_signature_id: part.last_signature_id };
  const preview = await take(streamBatchItems(db, ctx, range, 20), 20);
  const mail = await renderLetterBatch({
    language: ctx.language, kind: ctx.kind, campaignTitle: ctx.campaignTitle, actionTitle: ctx.actionTitle, ask: ctx.ask,
    targetTitle: ctx.target.title, targetGender: ctx.target.gender, items: ctx.delivery.items, itemsToDate: ctx.delivery.items_to_date,
    part: part.part, parts: ctx.parts.length, seq: ctx.delivery.seq, preview,
  });
  const files = batchFiles(db, ctx, part);
  await sendMail({
    to,
    ...mail,
    messageId: part.message_id,
    // Replies come back through Inkwell once a return domain is set up; until then, to the campaign.
    replyTo: inboundEnv().BOUNCE_DOMAIN ? replyAddress(ctx.delivery.id) : (ctx.replyTo ?? undefined),
    headers: { "X-Inkwell-Delivery": `${ctx.delivery.id}.${part.part}` },
    returnPath: bounceAddress("delivery", `${ctx.delivery.id}-${part.part}`),
    dsn: { id: `${ctx.delivery.id}.${part.part}`, return: "headers", notify: ["success", "failure", "delay"], recipient: to },
    attachments: [
      { filename: `${files.base}.csv`, contentType: "text/csv; charset=utf-8", content: files.csv() },
      { filename: `${files.base}.pdf`, contentType: "application/pdf", content: files.pdf() },
    ],
  });
}

/** Actions whose campaign can deliver (live or closed) and that have officials. */
async function deliverableActions(db: DB) {
  return db
    .selectFrom("actions as a")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["a.id", "a.delivery_mode", "a.delivery_every_hours", "a.delivery_local_hour", "a.delivery_threshold"])
    .select((eb) =>
      eb
        .selectFrom("action_targets as at")
        .innerJoin("targets as t", "t.id", "at.target_id")
        .whereRef("at.action_id", "=", "a.id")
        .select(sql<string[]>`array_agg(distinct t.time_zone)`.as("zones"))
        .as("zones"),
    )
    .where("c.status", "in", ["live", "closed"])
    .execute();
}

const SCHEDULER_PREFIX = "deliver-";

/**
 * Makes the BullMQ job schedulers match each action's delivery schedule: every N hours, or daily
 * at a local hour in each official's time zone. Threshold actions are checked by the tick instead.
 */
export async function syncDeliverySchedules(db: DB, queue: Queue): Promise<number> {
  const wanted = new Map<string, { every?: number; pattern?: string; tz?: string; data: object }>();
  for (const a of await deliverableActions(db)) {
    if (a.delivery_mode === "interval") {
      wanted.set(`${SCHEDULER_PREFIX}${a.id}-every-${a.delivery_every_hours}h`, { every: a.delivery_every_hours * 3_600_000, data: { actionId: a.id, trigger: "schedule" } });
    } else if (a.delivery_mode === "daily") {
      for (const tz of a.zones ?? []) {
        const key = `${SCHEDULER_PREFIX}${a.id}-daily-${a.delivery_local_hour}-${tz.replace(/[^A-Za-z0-9]+/g, "_")}`;
        wanted.set(key, { pattern: `0 ${a.delivery_local_hour} * * *`, tz, data: { actionId: a.id, timeZone: tz, trigger: "schedule" } });
      }
    }
  }
  const existing = await queue.getJobSchedulers(0, -1);
  for (const s of existing) {
    if (s.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(s.key)) await queue.removeJobScheduler(s.key);
  }
  const have = new Set(existing.map((s) => s.key));
  for (const [key, spec] of wanted) {
    if (have.has(key)) continue;
    await queue.upsertJobScheduler(
      key,
      spec.every ? { every: spec.every } : { pattern: spec.pattern!, tz: spec.tz },
      { name: deliverActionJob.name, data: spec.data, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
  return wanted.size;
}

/** Fires deliveries for threshold actions with enough waiting, and re-queues unsent batches. */
export async function deliveryTick(db: DB, queue: Queue): Promise<void> {
  await syncDeliverySchedules(db, queue);
  for (const a of await deliverableActions(db)) {
    if (a.delivery_mode !== "threshold") continue;
    const waiting = await waitingCounts(db, a.id);
    const due = [...waiting].filter(([, n]) => n >= a.delivery_threshold).map(([targetId]) => targetId);
    if (due.length) await deliverAction(db, a.id, { trigger: "threshold", targetIds: due });
  }
  const pending = await pendingDeliveries(db);
  await enqueueMany(sendBatchJob, pending.map((deliveryId) => ({ deliveryId })));
}
