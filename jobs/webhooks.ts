import type { Job } from "bullmq";
import type { DB } from "#db/client";
import { recordWebhookAlert } from "#db/queries/staff-alerts";
import { recordWebhookAttempt, webhookDeliveryContext } from "#db/queries/webhooks";
import { log } from "#core/logger";
import { postWebhook, signWebhook } from "#services/webhook-send";
import { sendStaffAlertJob } from "./definitions";
import { enqueue } from "./queues";
import { webhooksEnv } from "./webhooks-config";

/**
 * Sends one delivery, signed in the Standard Webhooks way with its id as idempotency key. A
 * failure is logged on the delivery and retried by BullMQ; the attempt that reaches the endpoint's
 * failure limit pauses it and alerts the campaign's owners. Sent, paused or removed: nothing to do.
 */
export async function sendWebhook(db: DB, payload: { deliveryId: number }, job?: Job): Promise<string> {
  const ctx = await webhookDeliveryContext(db, payload.deliveryId);
  if (!ctx || ctx.deleted_at) return "gone";
  if (ctx.status === "sent") return "sent";
  if (ctx.paused_at) return "paused";
  const cfg = webhooksEnv();
  const id = `msg_${ctx.id}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signWebhook(ctx.secret, id, timestamp, ctx.body), "Idempotency-Key": id };
  const result = await postWebhook(ctx.url, headers, ctx.body, { timeoutMs: cfg.WEBHOOK_TIMEOUT_MS, allowPrivate: cfg.WEBHOOK_ALLOW_PRIVATE_ADDRESSES });
  const paused = await db.transaction().execute(async (trx) => {
    const now = await recordWebhookAttempt(trx, ctx.id, ctx.endpoint_id, result, cfg.WEBHOOK_PAUSE_AFTER_FAILURES);
    return now ? { alertId: await recordWebhookAlert(trx, ctx.campaign_id, ctx.endpoint_id, ctx.url, cfg.WEBHOOK_PAUSE_AFTER_FAILURES) } : undefined;
  });
  if (result.ok) return "sent";
  log.warn("webhook delivery failed", { deliveryId: ctx.id, endpointId: ctx.endpoint_id, status: result.status, attempt: job?.attemptsMade });
  if (paused) {
    if (paused.alertId !== undefined) {
      await enqueue(sendStaffAlertJob, { alertId: paused.alertId }).catch((err: Error) => log.warn("webhook pause alert not queued", { campaignId: ctx.campaign_id, err: err.message }));
    }
    return "paused";
  }
  throw new Error(`webhook endpoint answered ${result.status ?? "nothing"}`);
}
