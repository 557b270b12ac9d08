import { sql } from "kysely";
import type { DB, Executor } from "#db/client";
import { insertMailEvent, recentSoftBounces, suppressSupporter, supporterForReturn } from "#db/queries/mail-events";
import type { MailEventKind } from "#db/schema";
import { env as inboundEnv } from "#core/env";
import type { MailKind } from "#emails/return-path";
import { recordBatchAlert, recordOfficialAlert } from "#db/queries/staff-alerts";
import { sendBatchJob, sendStaffAlertJob } from "#jobs/definitions";
import { log } from "#core/logger";
import { enqueue } from "#jobs/queues";

export interface MatchedReport {
  source: "smtp" | "mailgun";
  kind: MailKind;
  ref: string;
  event: MailEventKind;
  statusCode: string | null;
  /** The remote server's reason, addresses already scrubbed. */
  reason: string | null;
}

export type ApplyOutcome = { applied: true } | { applied: false; reason: string };

/**
 * Applies one report about something we sent. A batch part that hard-bounces fails its batch,
 * flags the official and holds their letters; a soft bounce re-sends the part until the limit;
 * a supporter's hard bounce or complaint suppresses their address. Idempotent enough to replay.
 */
export async function applyReport(db: DB, r: MatchedReport): Promise<ApplyOutcome> {
  const after: (() => Promise<void>)[] = [];
  const outcome = await db.transaction().execute(async (trx): Promise<ApplyOutcome> => {
    if (r.kind === "delivery") return applyToPart(trx, r, after);
    if (r.kind === "reset" || r.kind === "alert" || r.kind === "test") {
      await insertMailEvent(trx, { source: r.source, event: r.event, subjectKind: r.kind, subjectRef: r.ref, statusCode: r.statusCode, remoteReason: r.reason });
      return { applied: true };
    }
    const supporterId = await supporterForReturn(trx, r.kind, r.ref);
    if (supporterId === undefined) return { applied: false, reason: `no ${r.kind} ${r.ref} was sent` };
    await insertMailEvent(trx, {
      source: r.source, event: r.event, subjectKind: r.kind, subjectRef: r.ref, supporterId, statusCode: r.statusCode, remoteReason: r.reason,
    });
    const detail = `${r.kind} ${r.ref}${r.statusCode ? ` (${r.statusCode})` : ""}`;
    let failed = r.event === "hard_bounce" || r.event === "complaint";
    if (r.event === "soft_bounce" && (await recentSoftBounces(trx, supporterId)) >= inboundEnv().SOFT_BOUNCE_LIMIT) failed = true;
    if (failed) {
      await suppressSupporter(trx, supporterId, r.event === "complaint" ? "complaint" : "hard_bounce", detail);
      if (r.kind === "update") {
        const [updateId] = r.ref.split("-").map(Number);
        await trx.updateTable("update_recipients").set({ status: "failed", error: `${r.event.replace("_", " ")}: ${r.reason ?? r.statusCode ?? ""}`.slice(0, 500) })
          .where("update_id", "=", updateId!).where("supporter_id", "=", supporterId).where("status", "=", "sent").execute();
      }
    }
    return { applied: true };
  });
  for (const step of after) await step().catch((err: Error) => log.warn("follow-up of a mail report not queued", { err: err.message }));
  return outcome;
}

async function applyToPart(trx: Executor, r: MatchedReport, after: (() => Promise<void>)[]): Promise<ApplyOutcome> {
  const m = /^([1-9][0-9]{0,15})-([1-9][0-9]{0,4})$/.exec(r.ref);
  if (!m) return { applied: false, reason: `malformed batch reference ${r.ref}` };
  const deliveryId = Number(m[1]);
  const partNo = Number(m[2]);
  const part = await trx
    .selectFrom("delivery_parts as p")
    .innerJoin("deliveries as d", "d.id", "p.delivery_id")
    .select(["p.sent_at", "p.soft_bounces", "p.bounced_at", "p.complained_at", "d.status", "d.target_id"])
    .where("p.delivery_id", "=", deliveryId).where("p.part", "=", partNo)
    .forUpdate()
    .executeTakeFirst();
  if (!part) return { applied: false, reason: `no batch part ${r.ref} was sent` };
  await insertMailEvent(trx, {
    source: r.source, event: r.event, subjectKind: "delivery", subjectRef: r.ref, deliveryId, statusCode: r.statusCode, remoteReason: r.reason,
  });
  const why = r.reason ?? r.statusCode ?? "no reason given";
  const parts = trx.updateTable("delivery_parts").where("delivery_id", "=", deliveryId).where("part", "=", partNo);
  if (r.event === "accepted") {
    await parts.set({ accepted_at: sql`coalesce(accepted_at, now())` }).execute();
  } else if (r.event === "complaint") {
    await parts.set({ complained_at: sql`coalesce(complained_at, now())` }).execute();
    if (!part.complained_at) alertAfter(after, await recordBatchAlert(trx, deliveryId, "complained", r.reason));
  } else if (r.event === "hard_bounce") {
    await parts.set({ bounced_at: sql`coalesce(bounced_at, now())`, bounce_reason: why }).execute();
    const wasFailed = part.status === "failed";
    await failBatch(trx, deliveryId, `Bounced by the official's mail server: ${why}`, true);
    const flagged = await trx.updateTable("targets").set({ email_bounced_at: sql`now()`, email_bounce_reason: why })
      .where("id", "=", part.target_id).where("email_bounced_at", "is", null).returning("id").executeTakeFirst();
    // The bounce that flags the official is told as that (it names the batch); later ones as batch failures.
    if (flagged) for (const id of await recordOfficialAlert(trx, part.target_id, deliveryId, why)) alertAfter(after, id);
    else if (!wasFailed) alertAfter(after, await recordBatchAlert(trx, deliveryId, "bounced", why));
  } else {
    const tries = part.soft_bounces + 1;
    if (tries >= inboundEnv().SOFT_BOUNCE_LIMIT) {
      await parts.set({ soft_bounces: tries, bounce_reason: why }).execute();
      await failBatch(trx, deliveryId, `Gave up after ${tries} temporary bounces: ${why}`, false);
      if (part.status !== "failed") alertAfter(after, await recordBatchAlert(trx, deliveryId, "failed", `gave up after ${tries} temporary bounces: ${why}`));
    } else if (part.sent_at && !part.bounced_at) {
      // Sent again as it was (same Message-ID): the receiving server asked us to try later.
      await parts.set({ soft_bounces: tries, bounce_reason: why, sent_at: null }).execute();
      await trx.updateTable("deliveries").set({ status: "pending", error: null }).where("id", "=", deliveryId).where("status", "=", "sent").execute();
      after.push(() => enqueue(sendBatchJob, { deliveryId }, { jobId: `batch-${deliveryId}-soft-${partNo}-${tries}` }));
    }
  }
  return { applied: true };
}

/** After the transaction commits: queue the alert's email (the alerts sweeper catches it if Redis is away). */
function alertAfter(after: (() => Promise<void>)[], alertId: number | undefined): void {
  if (alertId !== undefined) after.push(() => enqueue(sendStaffAlertJob, { alertId }));
}

async function failBatch(trx: Executor, deliveryId: number, error: string, bounced: boolean): Promise<void> {
  await trx.updateTable("deliveries")
    .set({ status: "failed", error: error.slice(0, 1000), ...(bounced ? { bounced_at: sql<Date>`coalesce(bounced_at, now())` } : {}) })
    .where("id", "=", deliveryId)
    .execute();
}
