import { sql } from "kysely";
import { CONFIRMATION_WINDOW_MS } from "#core/rules";
import { hashToken, newToken } from "#core/tokens";
import type { Executor } from "../client";

// The confirmation emails' send, a group at a time: the signature rows are locked while their
// emails go out, so two workers never send the same email, and the count of emails sent moves in
// the same transaction. Every statement covers the whole group (arrays through unnest / any).

/** Confirmation email number `seq` of a signature. */
export interface ConfirmationDue {
  signatureId: number;
  seq: number;
}

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
 * In one statement, for every email of `due` that is still due (pending, not erased, fewer sent):
 * stores a new confirmation token and returns it by signature id; the others get none. Committed
 * on its own before the send, so the link works the moment the email lands; a token left unused
 * (the send then found the work done) expires like any other. One email per signature at most.
 */
export async function issueTokensIfDue(db: Executor, due: ConfirmationDue[]): Promise<Map<number, string>> {
  if (due.length === 0) return new Map();
  const tokens = due.map(() => newToken());
  const { rows } = await sql<{ signature_id: number }>`
    insert into tokens (hash, purpose, signature_id, expires_at)
    select decode(d.hash, 'hex'), 'confirm_signature', s.id, ${new Date(Date.now() + CONFIRMATION_WINDOW_MS + 24 * 3600 * 1000)}
    from unnest(${due.map((d) => d.signatureId)}::bigint[], ${due.map((d) => d.seq)}::int[], ${tokens.map((t) => hashToken(t).toString("hex"))}::text[]) as d(id, seq, hash)
    join signatures s on s.id = d.id join supporters p on p.id = s.supporter_id
    where s.status = 'pending' and p.erased_at is null and s.emails_sent < d.seq
    returning signature_id
  `.execute(db);
  const issued = new Set(rows.map((r) => Number(r.signature_id)));
  return new Map(due.flatMap((d, i) => (issued.has(d.signatureId) ? [[d.signatureId, tokens[i]!] as const] : [])));
}

/**
 * Locks the signatures for sending their confirmation emails and returns what each email needs,
 * in one statement. Rows are locked in id order, so groups of several workers never deadlock;
 * `for no key update` lets token inserts (their foreign key) pass while a send holds the lock.
 */
export async function lockForConfirmationSend(trx: Executor, signatureIds: number[]): Promise<Map<number, SendContext>> {
  if (signatureIds.length === 0) return new Map();
  const rows = await trx
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
    .where(sql<boolean>`s.id = any(${signatureIds}::bigint[])`)
    .orderBy("s.id")
    .forNoKeyUpdate("s")
    .execute();
  return new Map(rows.map((row) => [row.id, {
    id: row.id, status: row.status, emailsSent: row.emails_sent, remindedAt: row.reminded_at, email: row.email,
    name: row.name, language: row.language, campaignSlug: row.campaign_slug, campaignId: row.campaign_id,
    actionSlug: row.action_slug, actionId: row.action_id, erased: row.erased_at !== null,
    actionTitle: row.action_title, hasLetter: row.has_letter,
  }]));
}

/** Records, in one statement, that each confirmation email of `sent` went out. */
export async function markConfirmationsSent(trx: Executor, sent: ConfirmationDue[]): Promise<void> {
  if (sent.length === 0) return;
  await sql`
    update signatures s set emails_sent = d.seq, last_email_at = now()
    from unnest(${sent.map((d) => d.signatureId)}::bigint[], ${sent.map((d) => d.seq)}::int[]) as d(id, seq)
    where s.id = d.id
  `.execute(trx);
}
