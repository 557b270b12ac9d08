import { sql } from "kysely";
import type { Executor } from "#db/client";
import { log } from "#core/logger";
import type { Confirmation } from "#db/queries/signatures";
import { emitWebhookEvent, type WebhookEvent } from "#db/queries/webhooks";
import { sendWebhookJob } from "#jobs/definitions";
import { enqueue } from "#jobs/queues";
import { webhooksEnv } from "#jobs/webhooks-config";

/** Queues deliveries (first send or replay `round`), with the configured retries and backoff. A Redis failure is logged. */
export async function enqueueWebhooks(deliveryIds: number[], round = 0): Promise<void> {
  if (deliveryIds.length === 0) return;
  const cfg = webhooksEnv();
  for (const deliveryId of deliveryIds) {
    await enqueue(sendWebhookJob, { deliveryId, round }, { attempts: cfg.WEBHOOK_ATTEMPTS, backoff: { type: "exponential", delay: cfg.WEBHOOK_RETRY_DELAY_MS } }).catch((err: Error) =>
      log.warn("webhook delivery not queued", { deliveryId, err: err.message }),
    );
  }
}

/** Records an event for a campaign's endpoints and queues what was new. */
export async function emitAndEnqueue(db: Executor, campaignId: number, event: WebhookEvent, key: string, data: Record<string, unknown>): Promise<void> {
  try {
    await enqueueWebhooks(await emitWebhookEvent(db, campaignId, event, key, data));
  } catch (err) {
    // The action the event reports has happened; a lost event must not undo or fail it.
    log.error("webhook event not recorded", { campaignId, event, err: (err as Error).message });
  }
}

// The change an event reports has already happened: failing to record the event must not fail it.
async function safely(event: string, run: () => Promise<void>): Promise<void> {
  await run().catch((err: Error) => log.error("webhook event not recorded", { event, err: err.message }));
}

// What each event carries: ids, and what a receiver needs to act on it. Never an email address, a
// name or a letter's text: a receiver holding an API key with the "people" scope looks the person
// up by id (and an erased person is gone from there too).

/** A signature was confirmed (once per signature): recorded from what the confirmation itself read, when an endpoint listens. */
export async function signatureConfirmedEvent(db: Executor, confirmed: Confirmation): Promise<void> {
  if (!confirmed.hooked || confirmed.status !== "confirmed") return;
  await emitAndEnqueue(db, confirmed.campaignId, "signature.confirmed", `signature-${confirmed.signatureId}`, {
    signature_id: confirmed.signatureId,
    person_id: confirmed.supporterId,
    action_id: confirmed.actionId,
    action: confirmed.actionSlug,
    kind: confirmed.actionKind,
    campaign: confirmed.campaignSlug,
    confirmed_at: confirmed.confirmedAt?.toISOString() ?? null,
    held_for_review: confirmed.heldAt !== null,
  });
}

/** A batch of letters reached its official (once per batch). */
export async function letterDeliveredEvent(db: Executor, deliveryId: number): Promise<void> {
  await safely("letter.delivered", async () => {
    const row = await db
      .selectFrom("deliveries as d")
      .innerJoin("actions as a", "a.id", "d.action_id")
      .innerJoin("campaigns as c", "c.id", "a.campaign_id")
      .select(["d.id", "d.action_id", "d.target_id", "d.items", "d.sent_at", "a.slug", "a.kind", "c.id as campaign_id", "c.slug as campaign_slug"])
      .where("d.id", "=", deliveryId)
      .where("d.status", "=", "sent")
      .executeTakeFirst();
    if (!row) return;
    await emitAndEnqueue(db, row.campaign_id, "letter.delivered", `delivery-${row.id}`, {
      delivery_id: row.id,
      action_id: row.action_id,
      action: row.slug,
      kind: row.kind,
      campaign: row.campaign_slug,
      official_id: row.target_id,
      items: row.items,
      sent_at: row.sent_at?.toISOString() ?? null,
    });
  });
}

/** A supporter stopped updates from a campaign (once per unsubscription). */
export async function unsubscribedEvent(db: Executor, supporterId: number, campaignId: number): Promise<void> {
  await safely("supporter.unsubscribed", async () => {
    const row = await db.selectFrom("subscriptions").select("unsubscribed_at").where("supporter_id", "=", supporterId).where("campaign_id", "=", campaignId).executeTakeFirst();
    if (!row?.unsubscribed_at) return;
    await emitAndEnqueue(db, campaignId, "supporter.unsubscribed", `unsubscribed-${supporterId}-${row.unsubscribed_at.getTime()}`, {
      person_id: supporterId,
      unsubscribed_at: row.unsubscribed_at.toISOString(),
    });
  });
}

/** The campaigns a supporter signed in: those to tell when they are erased. */
export async function campaignsOfSupporter(db: Executor, supporterId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select distinct a.campaign_id as id from signatures s join actions a on a.id = s.action_id where s.supporter_id = ${supporterId}
  `.execute(db);
  return rows.map((r) => r.id);
}

/** A supporter was erased: every campaign they signed in hears it, so the erasure reaches its CRM. */
export async function erasedEvent(db: Executor, supporterId: number, campaignIds: number[]): Promise<void> {
  await safely("supporter.erased", async () => {
    for (const campaignId of campaignIds) {
      await emitAndEnqueue(db, campaignId, "supporter.erased", `erased-${supporterId}`, { person_id: supporterId, erased_at: new Date().toISOString() });
    }
  });
}
