import { sql } from "kysely";
import type { Executor } from "../client";

// The confirmation email's send: the signature row is locked while its email goes out, so two
// workers never send the same email, and the count of emails sent moves in the same transaction.

export interface SendContext {
  id: number;
  status: string;
  emailsSent: number;
  remindedAt: Date | null;
  email: string;
  name: string;
  language: string;
  campaignSlug: string;
  campaignId: number;
  actionSlug: string;
  actionId: number;
  erased: boolean;
}

/** Locks a signature for sending its confirmation email and returns what the email needs. */
export async function lockForConfirmationSend(trx: Executor, signatureId: number): Promise<SendContext | undefined> {
  const row = await trx
    .selectFrom("signatures as s")
    .innerJoin("supporters as p", "p.id", "s.supporter_id")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select([
      "s.id", "s.status", "s.emails_sent", "s.reminded_at", "s.name", "s.language", "p.email", "p.erased_at",
      "a.slug as action_slug", "a.id as action_id", "c.slug as campaign_slug", "c.id as campaign_id",
    ])
    .where("s.id", "=", signatureId)
    .forUpdate("s")
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id, status: row.status, emailsSent: row.emails_sent, remindedAt: row.reminded_at, email: row.email,
    name: row.name, language: row.language, campaignSlug: row.campaign_slug, campaignId: row.campaign_id,
    actionSlug: row.action_slug, actionId: row.action_id, erased: row.erased_at !== null,
  };
}

/** Records that confirmation email number `seq` went out. */
export async function markConfirmationSent(trx: Executor, signatureId: number, seq: number): Promise<void> {
  await trx
    .updateTable("signatures")
    .set({ emails_sent: seq, last_email_at: sql`now()` })
    .where("id", "=", signatureId)
    .execute();
}
