import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "../client";
import { recordAudit } from "./audit";

/**
 * The events a campaign can push. `outcome.recorded` is defined for endpoints to subscribe to,
 * but Inkwell records no outcomes yet, so nothing emits it.
 */
export const WEBHOOK_EVENTS = ["signature.confirmed", "letter.delivered", "supporter.unsubscribed", "supporter.erased", "outcome.recorded"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A fresh endpoint secret, in the Standard Webhooks form (`whsec_` + base64 of 32 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Adds an endpoint to a campaign and audits it; returns its id and secret (shown once). */
export async function addWebhookEndpoint(trx: Executor, campaignerId: number, campaignId: number, input: { url: string; events: WebhookEvent[] }) {
  const secret = newWebhookSecret();
  const { id } = await trx
    .insertInto("webhook_endpoints")
    .values({ campaign_id: campaignId, url: input.url, secret, events: input.events, created_by: campaignerId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, { campaignerId, campaignId, action: "webhook.add", subjectType: "webhook_endpoint", subjectId: id, details: { url: input.url, events: input.events } });
  return { id, secret };
}

/** Pauses, resumes (clearing the failure count) or removes one of a campaign's endpoints; audited. */
export async function changeWebhookEndpoint(trx: Executor, campaignerId: number, campaignId: number, endpointId: number, change: "pause" | "resume" | "delete"): Promise<boolean> {
  const set =
    change === "pause" ? { paused_at: sql<Date>`coalesce(paused_at, now())` } : change === "resume" ? { paused_at: null, consecutive_failures: 0 } : { deleted_at: sql<Date>`now()` };
  const done = await trx
    .updateTable("webhook_endpoints")
    .set(set)
    .where("id", "=", endpointId)
    .where("campaign_id", "=", campaignId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return false;
  await recordAudit(trx, { campaignerId, campaignId, action: `webhook.${change}`, subjectType: "webhook_endpoint", subjectId: endpointId });
  return true;
}

/** A campaign's live endpoints (never their secrets) and their latest deliveries. */
export async function listWebhooks(db: Executor, campaignId: number) {
  const endpoints = await db
    .selectFrom("webhook_endpoints")
    .select(["id", "url", "events", "created_at", "consecutive_failures", "paused_at"])
    .where("campaign_id", "=", campaignId)
    .where("deleted_at", "is", null)
    .orderBy("id")
    .execute();
  const deliveries = await db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
    .select(["d.id", "d.endpoint_id", "d.event", "d.status", "d.attempts", "d.response_status", "d.response_excerpt", "d.created_at", "d.last_attempt_at"])
    .where("e.campaign_id", "=", campaignId)
    .where("e.deleted_at", "is", null)
    .orderBy("d.id", "desc")
    .limit(50)
    .execute();
  return { endpoints, deliveries };
}

/**
 * Records `event` for every live endpoint of the campaign that subscribed to it, once per
 * `key` (emitting again is a no-op); returns the new deliveries' ids for the caller to enqueue.
 * `data` holds ids and what the event needs: never an email address, a name or a letter.
 */
export async function emitWebhookEvent(db: Executor, campaignId: number, event: WebhookEvent, key: string, data: Record<string, unknown>): Promise<number[]> {
  const body = JSON.stringify({ type: event, timestamp: new Date().toISOString(), data });
  const { rows } = await sql<{ id: number }>`
    insert into webhook_deliveries (endpoint_id, event, event_key, body)
    select e.id, ${event}, ${key}, ${body} from webhook_endpoints e
    where e.campaign_id = ${campaignId} and e.deleted_at is null and ${event} = any(e.events)
    on conflict (endpoint_id, event_key) do nothing
    returning id
  `.execute(db);
  return rows.map((r) => r.id);
}

/** Sets a delivery back to pending for a replay; false when it is not the campaign's. */
export async function resetWebhookDelivery(db: Executor, campaignId: number, deliveryId: number): Promise<boolean> {
  const done = await db
    .updateTable("webhook_deliveries as d")
    .set({ status: "pending" })
    .where("d.id", "=", deliveryId)
    .where((eb) => eb.exists(eb.selectFrom("webhook_endpoints as e").select("e.id").whereRef("e.id", "=", "d.endpoint_id").where("e.campaign_id", "=", campaignId).where("e.deleted_at", "is", null)))
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

/** What sending one delivery needs. */
export async function webhookDeliveryContext(db: Executor, deliveryId: number) {
  return db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
    .select(["d.id", "d.status", "d.body", "d.event", "e.id as endpoint_id", "e.campaign_id", "e.url", "e.secret", "e.paused_at", "e.deleted_at"])
    .where("d.id", "=", deliveryId)
    .executeTakeFirst();
}

/**
 * Records one attempt. Success clears the endpoint's failure count; a failure adds to it and
 * pauses the endpoint at `pauseAfter` in a row. Returns true when this attempt paused it.
 */
export async function recordWebhookAttempt(
  trx: Executor,
  deliveryId: number,
  endpointId: number,
  result: { ok: boolean; status: number | null; excerpt: string },
  pauseAfter: number,
): Promise<boolean> {
  await trx
    .updateTable("webhook_deliveries")
    .set({
      status: result.ok ? "sent" : "failed",
      attempts: sql`attempts + 1`,
      response_status: result.status,
      response_excerpt: result.excerpt,
      last_attempt_at: sql`now()`,
      sent_at: result.ok ? sql`now()` : null,
    })
    .where("id", "=", deliveryId)
    .execute();
  if (result.ok) {
    await trx.updateTable("webhook_endpoints").set({ consecutive_failures: 0 }).where("id", "=", endpointId).execute();
    return false;
  }
  const row = await trx
    .updateTable("webhook_endpoints")
    .set({ consecutive_failures: sql`consecutive_failures + 1` })
    .where("id", "=", endpointId)
    .returning(["consecutive_failures", "paused_at"])
    .executeTakeFirstOrThrow();
  if (row.paused_at || row.consecutive_failures < pauseAfter) return false;
  await trx.updateTable("webhook_endpoints").set({ paused_at: sql`now()` }).where("id", "=", endpointId).where("paused_at", "is", null).execute();
  await recordAudit(trx, { campaignerId: null, action: "webhook.auto_pause", subjectType: "webhook_endpoint", subjectId: endpointId, details: { failures: row.consecutive_failures } });
  return true;
}
