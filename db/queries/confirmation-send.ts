import { sql } from "kysely";
import { CONFIRMATION_WINDOW_MS } from "#core/rules";
import { hashToken, newToken } from "#core/tokens";
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
  /** The action's title in the signature's language (else English, else any). */
  actionTitle: string;
  /** Whether a letter goes with the signature (its text is then read for the email). */
  hasLetter: boolean;
}

/**
 * In one statement: when email number `seq` of the signature is still due (pending, not erased,
 * fewer sent), stores a new confirmation token for it and returns the token; otherwise nothing.
 * Committed on its own before the send, so the link works the moment the email lands; a token
 * left unused (the send then found the work done) expires like any other.
 */
export async function issueTokenIfDue(db: Executor, signatureId: number, seq: number): Promise<string | undefined> {
  const token = newToken();
  const { rows } = await sql<{ signature_id: number }>`
    insert into tokens (hash, purpose, signature_id, expires_at)
    select ${hashToken(token)}, 'confirm_signature', s.id, ${new Date(Date.now() + CONFIRMATION_WINDOW_MS + 24 * 3600 * 1000)}
    from signatures s join supporters p on p.id = s.supporter_id
    where s.id = ${signatureId} and s.status = 'pending' and p.erased_at is null and s.emails_sent < ${seq}
    returning signature_id
  `.execute(db);
  return rows.length > 0 ? token : undefined;
}

/** Locks a signature for sending its confirmation email and returns what the email needs, in one statement. */
export async function lockForConfirmationSend(trx: Executor, signatureId: number): Promise<SendContext | undefined> {
  const row = await trx
    .selectFrom("signatures as s")
    .innerJoin("supporters as p", "p.id", "s.supporter_id")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select([
      "s.id", "s.status", "s.emails_sent", "s.reminded_at", "s.name", "s.language", "p.email", "p.erased_at",
      "a.slug as action_slug", "a.id as action_id", "c.slug as campaign_slug", "c.id as campaign_id",
      sql<string>`coalesce((select t.title from action_translations t where t.action_id = a.id
        order by t.language = s.language desc, t.language = 'en' desc, t.language limit 1), '')`.as("action_title"),
      sql<boolean>`exists (select 1 from letters l where l.signature_id = s.id)`.as("has_letter"),
    ])
    .where("s.id", "=", signatureId)
    .forUpdate("s")
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id, status: row.status, emailsSent: row.emails_sent, remindedAt: row.reminded_at, email: row.email,
    name: row.name, language: row.language, campaignSlug: row.campaign_slug, campaignId: row.campaign_id,
    actionSlug: row.action_slug, actionId: row.action_id, erased: row.erased_at !== null,
    actionTitle: row.action_title, hasLetter: row.has_letter,
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
