import type { Job } from "bullmq";
import type { DB } from "#db/client";
import { campaignOwnerEmails, recordWebhookAttempt, webhookDeliveryContext } from "#db/queries/webhooks";
import { mailDomain, sendMail } from "#emails/mailer";
import { renderWebhookPaused } from "#emails/webhook-paused";
import { log } from "#core/logger";
import { postWebhook, signWebhook } from "#services/webhook-send";
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
  const paused = await db.transaction().execute((trx) => recordWebhookAttempt(trx, ctx.id, ctx.endpoint_id, result, cfg.WEBHOOK_PAUSE_AFTER_FAILURES));
  if (result.ok) return "sent";
  log.warn("webhook delivery failed", { deliveryId: ctx.id, endpointId: ctx.endpoint_id, status: result.status, attempt: job?.attemptsMade });
  if (paused) {
    await alertOwners(db, ctx.campaign_id, ctx.url, cfg.WEBHOOK_PAUSE_AFTER_FAILURES);
    return "paused";
  }
  throw new Error(`webhook endpoint answered ${result.status ?? "nothing"}`);
}

async function alertOwners(db: DB, campaignId: number, url: string, failures: number): Promise<void> {
  const mail = await renderWebhookPaused({ url, failures, workspaceUrl: `${webhooksEnv().APP_URL}/admin/campaigns/${campaignId}/webhooks` });
  for (const to of await campaignOwnerEmails(db, campaignId)) {
    await sendMail({ to, ...mail, messageId: `<webhook-paused.${campaignId}.${Date.now()}@${mailDomain()}>` }).catch((err: Error) =>
      log.error("webhook pause alert not sent", { campaignId, err: err.message }),
    );
  }
}
