import { sql } from "kysely";
import type { Executor } from "../client";
import { hashToken, newToken } from "#core/tokens";

/** How long a reset link (and a request for one) stays good. */
export const RESET_LINK_MS = 60 * 60 * 1000;

/**
 * Records a request for a reset link when the email belongs to an active campaigner; returns its
 * id, or null. One statement either way, so known and unknown addresses cost the same.
 */
export async function createPasswordResetRequest(db: Executor, email: string): Promise<number | null> {
  const row = await db
    .insertInto("password_reset_requests")
    .columns(["campaigner_id", "expires_at"])
    .expression((eb) =>
      eb
        .selectFrom("campaigners")
        .select(["id", sql<Date>`now() + make_interval(secs => ${RESET_LINK_MS / 1000})`.as("expires_at")])
        .where("email", "=", email.trim().toLowerCase())
        .where("disabled_at", "is", null),
    )
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Issues the reset token for a request not yet emailed (its campaigner still active): the token's
 * hash is stored, the token itself returned once for the email. Undefined when there is nothing to send.
 */
export async function issuePasswordResetToken(trx: Executor, requestId: number) {
  const row = await trx
    .selectFrom("password_reset_requests as r")
    .innerJoin("campaigners as c", "c.id", "r.campaigner_id")
    .select(["r.campaigner_id", "c.email", "c.name"])
    .where("r.id", "=", requestId)
    .where("r.sent_at", "is", null)
    .where("r.expires_at", ">", sql<Date>`now()`)
    .where("c.disabled_at", "is", null)
    .forUpdate("r")
    .executeTakeFirst();
  if (!row) return undefined;
  const token = newToken();
  await trx
    .insertInto("password_resets")
    .values({ token_hash: hashToken(token), campaigner_id: row.campaigner_id, expires_at: sql<Date>`now() + make_interval(secs => ${RESET_LINK_MS / 1000})` })
    .execute();
  return { campaignerId: row.campaigner_id, email: row.email, name: row.name, token };
}

/** Locks a request whose email has not gone out yet; false when it has, or it was withdrawn. */
export async function lockUnsentResetRequest(trx: Executor, requestId: number): Promise<boolean> {
  const row = await trx.selectFrom("password_reset_requests").select("id").where("id", "=", requestId).where("sent_at", "is", null).forUpdate().executeTakeFirst();
  return row !== undefined;
}

/** Marks a request's email as sent. */
export async function markResetRequestSent(trx: Executor, requestId: number): Promise<void> {
  await trx.updateTable("password_reset_requests").set({ sent_at: sql`now()` }).where("id", "=", requestId).execute();
}

/** Spends every reset link of a campaigner and withdraws requests not yet emailed (when the account is disabled). */
export async function withdrawPasswordResets(trx: Executor, campaignerId: number): Promise<void> {
  await trx.updateTable("password_resets").set({ used_at: sql`now()` }).where("campaigner_id", "=", campaignerId).where("used_at", "is", null).execute();
  await trx.deleteFrom("password_reset_requests").where("campaigner_id", "=", campaignerId).where("sent_at", "is", null).execute();
}
