import type { DB } from "#db/client";
import { assembleBatch, retryDelivery, streamBatchItems, type BatchLetter, type DeliveryContext } from "#db/queries/deliveries";
import { lettersCsv, lettersPdf, petitionPdf, signersCsv, type BatchHeading } from "#emails/attachments/index";
import { mailDomain } from "#emails/mailer";
import { emailMessages } from "#emails/messages";
import { env } from "#core/env";
import { log } from "#core/logger";
import { sendBatchJob } from "#jobs/definitions";
import { enqueue, enqueueMany, queue } from "#jobs/queues";

// Deliveries as the workspace and the delivery jobs both drive them: assembling batches,
// retrying a failed one, and the attachments a batch carries.

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
      maxBytes: env().DELIVERY_MAX_BYTES, messageIdDomain: mailDomain(),
    });
    if (id !== null) result.batches.push(id);
  }
  if (result.held.length) log.warn("officials without a working email address: their letters wait", { actionId, targets: result.held.join(",") });
  await enqueueMany(sendBatchJob, result.batches.map((deliveryId) => ({ deliveryId })));
  if (result.batches.length) log.info("batches assembled", { actionId, batches: result.batches.join(","), trigger: options.trigger });
  return result;
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
