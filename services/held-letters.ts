import { sql } from "kysely";
import type { DB, Executor } from "#db/client";
import { sendBatchJob } from "#jobs/definitions";
import { log } from "#core/logger";
import { enqueue } from "#jobs/queues";

/** Whether an official's address bounced and has not been corrected: their batches wait. */
export async function isOfficialFlagged(db: Executor, targetId: number): Promise<boolean> {
  const t = await db.selectFrom("targets").select("email_bounced_at").where("id", "=", targetId).executeTakeFirst();
  return Boolean(t?.email_bounced_at);
}

/**
 * After an official's address is corrected: lifts the flag and sends their bounced batches again,
 * each as it was (same items, same Message-IDs), to the new address. Letters not yet batched go
 * with the next delivery as usual. Returns the batches queued again.
 */
export async function releaseOfficial(db: DB, targetId: number): Promise<number[]> {
  const ids = await db.transaction().execute(async (trx) => {
    const lifted = await trx.updateTable("targets").set({ email_bounced_at: null, email_bounce_reason: null })
      .where("id", "=", targetId).where("email_bounced_at", "is not", null).where("email", "is not", null)
      .returning("id").executeTakeFirst();
    if (!lifted) return [];
    const bounced = await trx.updateTable("deliveries").set({ status: "pending", error: null, bounced_at: null })
      .where("target_id", "=", targetId).where("bounced_at", "is not", null).where("status", "=", "failed")
      .returning("id").execute();
    const batchIds = bounced.map((b) => b.id);
    if (batchIds.length) {
      await trx.updateTable("delivery_parts")
        .set({ sent_at: null, bounced_at: null, bounce_reason: null, accepted_at: null, soft_bounces: 0 })
        .where("delivery_id", "in", batchIds).execute();
    }
    return batchIds;
  });
  const stamp = await sql<{ t: string }>`select extract(epoch from now())::int8::text as t`.execute(db);
  for (const deliveryId of ids) {
    // The delivery tick re-queues pending batches if Redis is away now.
    await enqueue(sendBatchJob, { deliveryId }, { jobId: `batch-${deliveryId}-release-${stamp.rows[0]?.t}` })
      .catch((err: Error) => log.warn("released batch not queued", { deliveryId, err: err.message }));
  }
  if (ids.length) log.info("official's held batches released", { targetId, batches: ids.join(",") });
  return ids;
}
