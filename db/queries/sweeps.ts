import { sql } from "kysely";
import type { Executor } from "../client";
import { CONFIRMATION_WINDOW_MS, MAX_CONFIRMATION_EMAILS, REMINDER_AFTER_MS } from "#core/rules";

export interface PendingSend {
  signatureId: number;
  seq: number;
}

/**
 * Confirmation emails that were asked for but not sent and are older than `graceMs`: the ones
 * whose job never reached Redis. The sweeper enqueues them again (idempotently).
 */
export async function unsentConfirmations(db: Executor, graceMs: number, limit = 5_000): Promise<PendingSend[]> {
  const rows = await db
    .selectFrom("signatures")
    .select(["id", "emails_requested"])
    .where("status", "=", "pending")
    .where(sql<boolean>`emails_sent < emails_requested`)
    .where("created_at", "<", new Date(Date.now() - graceMs))
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ signatureId: r.id, seq: r.emails_requested }));
}

/** Marks the one reminder due on day-old pending signatures; returns the sends to enqueue. */
export async function dueReminders(db: Executor, limit = 5_000): Promise<PendingSend[]> {
  const result = await sql<{ id: number; emails_requested: number }>`
    update signatures set reminded_at = now(), emails_requested = emails_requested + 1
    where id in (
      select id from signatures
      where status = 'pending' and reminded_at is null
        and created_at < ${new Date(Date.now() - REMINDER_AFTER_MS)}
        and emails_requested < ${MAX_CONFIRMATION_EMAILS}
        and emails_sent = emails_requested
      order by id limit ${limit}
      for update skip locked
    )
    returning id, emails_requested
  `.execute(db);
  return result.rows.map((r) => ({ signatureId: r.id, seq: r.emails_requested }));
}

/** Expires signatures left unconfirmed past the window and removes their tokens. */
export async function expireUnconfirmed(db: Executor): Promise<number> {
  const cutoff = new Date(Date.now() - CONFIRMATION_WINDOW_MS);
  const result = await db
    .updateTable("signatures")
    .set({ status: "expired", expired_at: sql`now()` })
    .where("status", "=", "pending")
    .where("created_at", "<", cutoff)
    .executeTakeFirst();
  // An expired signature's links die with it, a reminder's too (its token was issued a day later).
  await db
    .deleteFrom("tokens")
    .where((eb) =>
      eb.or([
        eb("expires_at", "<", new Date()),
        eb.exists(eb.selectFrom("signatures as s").select("s.id").whereRef("s.id", "=", "tokens.signature_id").where("s.status", "=", "expired")),
      ]),
    )
    .execute();
  return Number(result.numUpdatedRows);
}

/**
 * Password-reset requests still worth sending whose email never went out after `graceMs`: the
 * request was recorded but its job was lost (Redis down at the time). Their job ids are fixed, so
 * enqueueing them again is harmless.
 */
export async function unsentResetRequests(db: Executor, graceMs: number, limit = 1_000): Promise<number[]> {
  const rows = await db
    .selectFrom("password_reset_requests")
    .select("id")
    .where("sent_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .where("created_at", "<", new Date(Date.now() - graceMs))
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Webhook deliveries recorded but never tried after `graceMs`, for endpoints still live: their
 * first-round job never reached Redis. A delivery being retried or replayed has attempts and is
 * left to its own job.
 */
export async function untriedWebhookDeliveries(db: Executor, graceMs: number, limit = 1_000): Promise<number[]> {
  const rows = await db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
    .select("d.id")
    .where("d.status", "=", "pending")
    .where("d.attempts", "=", 0)
    .where("d.created_at", "<", new Date(Date.now() - graceMs))
    .where("e.deleted_at", "is", null)
    .where("e.paused_at", "is", null)
    .orderBy("d.id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
