import { UnrecoverableError, type Job, type Queue } from "bullmq";
import { sql } from "kysely";
import type { DB } from "../db/client";
import {
  assembleBatch, deliveryContext, finishDelivery, markPartSent, pendingDeliveries, retryDelivery, streamBatchItems, waitingCounts,
  type BatchLetter, type DeliveryContext,
} from "../db/queries/deliveries";
import { lettersCsv, lettersPdf, petitionPdf, signersCsv, type BatchHeading } from "../emails/attachments";
import { renderLetterBatch } from "../emails/letter-batch";
import { isPermanentSmtpError, mailDomain, sendMail } from "../emails/mailer";
import { emailMessages } from "../emails/messages";
import { jobsEnv } from "./config";
import { deliverActionJob, noticeDeliveriesJob, sendBatchJob } from "./definitions";
import { isOfficialFlagged } from "./held-letters";
import { log } from "./log";
import { enqueue, enqueueMany, queue } from "./queues";
import { inboundEnv } from "../emails/inbound-config";
import { bounceAddress, replyAddress } from "../emails/return-path";

export interface DeliverOptions {
  trigger: "schedule" | "threshold" | "manual";
  /** Only the officials in this time zone (daily schedules run per zone). */
  timeZone?: string;
  /** Only these officials. */
  targetIds?: number[];
}

export interface DeliverResult {
  batches: number[];
  /** Officials whose letters wait because they have no email address. */
  held: number[];
}

/** Assembles a new batch for each of the action's officials with something new, and queues it. */
export async function deliverAction(db: DB, actionId: number, options: DeliverOptions): Promise<DeliverResult> {
  const targets = await db
    .selectFrom("action_targets as at")
    .innerJoin("targets as t", "t.id", "at.target_id")
    .innerJoin("actions as a", "a.id", "at.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["t.id", "t.email", "t.time_zone", "t.email_bounced_at"])
    .where("at.action_id", "=", actionId)
    .where("c.status", "in", ["live", "closed"])
    .orderBy("at.position")
    .execute();
  const result: DeliverResult = { batches: [], held: [] };
  for (const t of targets) {
    if (options.timeZone && t.time_zone !== options.timeZone) continue;
    if (options.targetIds && !options.targetIds.includes(t.id)) continue;
    // No address, or one that bounced: the letters wait (unbatched) until it is set or corrected.
    if (!t.email || t.email_bounced_at) {
      result.held.push(t.id);
      continue;
    }
    const id = await assembleBatch(db, {
      actionId, targetId: t.id, trigger: options.trigger,
      maxBytes: jobsEnv().DELIVERY_MAX_BYTES, messageIdDomain: mailDomain(),
    });
    if (id !== null) result.batches.push(id);
  }
  if (result.held.length) log.warn("officials without an email address: their letters wait", { actionId, targets: result.held.join(",") });
  await enqueueMany(sendBatchJob, result.batches.map((deliveryId) => ({ deliveryId })));
  if (result.batches.length) log.info("batches assembled", { actionId, batches: result.batches.join(","), trigger: options.trigger });
  return result;
}

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
        await finishDelivery(db, deliveryId, { error: "The official has no email address." });
        throw new UnrecoverableError("official has no email address");
      }
      for (const part of ctx.parts) {
        if (part.sent_at) continue;
        await sendPart(db, ctx, part, ctx.target.email);
        await markPartSent(db, deliveryId, part.part);
      }
      await finishDelivery(db, deliveryId, "sent");
      log.info("batch delivered", { deliveryId, targetId: ctx.target.id, items: ctx.delivery.items, parts: ctx.parts.length });
      // Supporters hear their letter arrived; the batch is delivered even if this cannot be queued now.
      await enqueue(noticeDeliveriesJob, { deliveryId }).catch((err: Error) => log.warn("delivery notices not queued", { deliveryId, err: err.message }));
      return "sent";
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err;
      const smtp = err as { responseCode?: number; response?: string; message?: string };
      if (isPermanentSmtpError(err)) {
        await finishDelivery(db, deliveryId, { error: `SMTP ${smtp.responseCode}: ${smtp.response ?? smtp.message}` });
        throw new UnrecoverableError(`SMTP refused the batch (${smtp.responseCode})`);
      }
      const finalAttempt = job ? job.attemptsMade + 1 >= (job.opts.attempts ?? 1) : false;
      if (finalAttempt) await finishDelivery(db, deliveryId, { error: `Gave up after retries: ${smtp.message ?? String(err)}` });
      throw err;
    } finally {
      await sql`select pg_advisory_unlock(${SEND_LOCK}, ${deliveryId}::int4)`.execute(conn);
    }
  });
}

/**
 * A batch part's attachments, streamed from the delivery ledger: the batch email sends them, and
 * the workspace regenerates them from the same code when a campaigner downloads them again.
 */
export function batchFiles(db: DB, ctx: DeliveryContext, part: DeliveryContext["parts"][number]) {
  const m = emailMessages(ctx.language);
  const range = { first_signature_id: part.first_signature_id, last_signature_id: part.last_signature_id };
  const heading: BatchHeading = {
    language: ctx.language, campaignTitle: ctx.campaignTitle, actionTitle: ctx.actionTitle, ask: ctx.ask,
    target: { name: ctx.target.name, title: ctx.target.title, organisation: ctx.target.organisation, postalAddress: ctx.target.postalAddress },
    batchLabel: m.batchLabel(ctx.delivery.seq, part.part, ctx.parts.length),
    date: ctx.delivery.created_at,
  };
  const rows = (): AsyncIterable<BatchLetter> => streamBatchItems(db, ctx, range);
  const letters = ctx.kind === "letter";
  return {
    base: `${ctx.campaignSlug}-${ctx.delivery.seq}${ctx.parts.length > 1 ? `-part${part.part}` : ""}`,
    csv: () => (letters ? lettersCsv(rows(), ctx.language) : signersCsv(rows(), ctx.language)),
    pdf: () => (letters ? lettersPdf(rows(), heading) : petitionPdf(rows(), heading)),
  };
}

async function sendPart(db: DB, ctx: DeliveryContext, part: DeliveryContext["parts"][number], to: string): Promise<void> {
  const range = { first_signature_id: part.first_signature_id, last_signature_id: part.last_signature_id };
  const preview = await take(streamBatchItems(db, ctx, range, 20), 20);
  const mail = await renderLetterBatch({
    language: ctx.language, kind: ctx.kind, campaignTitle: ctx.campaignTitle, actionTitle: ctx.actionTitle, ask: ctx.ask,
    targetTitle: ctx.target.title, items: ctx.delivery.items, itemsToDate: ctx.delivery.items_to_date,
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

/**
 * Puts a failed batch back in line and queues it again: the same batch with the same parts and
 * Message-IDs, its parts already sent skipped. The failed job is removed first, since its id
 * would otherwise make the new one a no-op. False when the batch had not failed.
 */
export async function retryBatch(db: DB, deliveryId: number): Promise<boolean> {
  if (!(await retryDelivery(db, deliveryId))) return false;
  const jobId = sendBatchJob.jobId!({ deliveryId });
  const q = queue(sendBatchJob.queue);
  const old = await q.getJob(jobId);
  if (old && (await old.isFailed())) await old.remove();
  // If Redis is away now, the delivery tick re-queues every pending batch once it is back.
  await enqueue(sendBatchJob, { deliveryId }).catch((err: Error) => log.warn("retried batch not queued", { deliveryId, err: err.message }));
  return true;
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
