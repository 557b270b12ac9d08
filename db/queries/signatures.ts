import { sql } from "kysely";
import type { Executor } from "../client";
import { CONFIRMATION_WINDOW_MS, MAX_CONFIRMATION_EMAILS } from "../rules";
import { hashToken, newToken } from "../tokens";

export interface SignatureInput {
  actionId: number;
  campaignId: number;
  email: string; // already normalised
  name: string;
  country: string;
  postalCode: string | null;
  comment: string | null;
  language: string;
  updatesOptIn: boolean;
  ipHash: Buffer | null;
  /** The exact wording shown next to the form, kept as proof of consent. */
  privacyWording: string;
  updatesWording: string;
  source: string;
}

/** What the caller must do after commit: enqueue confirmation email number `seq`, or nothing. */
export interface SignatureOutcome {
  signatureId: number;
  sendSeq: number | null;
  /** True when this submission created the signature (or restarted an expired one): its details stand. */
  fresh: boolean;
}

/**
 * Records a signature in one transaction. A new signature is pending with its consents; signing
 * again with the same address asks for another confirmation email (at most three in all) or, once
 * expired, starts over. A confirmed signature is left as it is. The caller shows the same page in
 * every case, so nothing reveals whether an address had signed.
 */
export async function recordSignature(trx: Executor, input: SignatureInput): Promise<SignatureOutcome> {
  const supporterId = await supporterIdFor(trx, input.email, input.language);

  const inserted = await trx
    .insertInto("signatures")
    .values({
      action_id: input.actionId,
      supporter_id: supporterId,
      name: input.name,
      country: input.country,
      postal_code: input.postalCode,
      comment: input.comment,
      language: input.language,
      updates_opt_in: input.updatesOptIn,
      ip_hash: input.ipHash,
    })
    .onConflict((oc) => oc.columns(["action_id", "supporter_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();

  if (inserted) {
    await recordConsents(trx, input, supporterId, inserted.id);
    return { signatureId: inserted.id, sendSeq: 1, fresh: true };
  }

  const existing = await trx
    .selectFrom("signatures")
    .select(["id", "status", "emails_requested"])
    .where("action_id", "=", input.actionId)
    .where("supporter_id", "=", supporterId)
    .forUpdate()
    .executeTakeFirst();
  // A concurrent submission restarted an expired signature under a new id meanwhile: start again.
  if (!existing) return recordSignature(trx, input);

  if (existing.status === "pending") {
    if (existing.emails_requested >= MAX_CONFIRMATION_EMAILS) return { signatureId: existing.id, sendSeq: null, fresh: false };
    const seq = existing.emails_requested + 1;
    await trx.updateTable("signatures").set({ emails_requested: seq }).where("id", "=", existing.id).execute();
    return { signatureId: existing.id, sendSeq: seq, fresh: false };
  }

  if (existing.status === "expired") {
    // Starting over makes a new signature with a new id. Job ids, Message-IDs and tokens are keyed by
    // signature id and email number, so reusing the id would repeat email 1's: the queue drops a job
    // id it still holds, and mailboxes drop a Message-ID they have already seen.
    await trx.deleteFrom("signatures").where("id", "=", existing.id).execute();
    return recordSignature(trx, input);
  }

  return { signatureId: existing.id, sendSeq: null, fresh: false };
}

/** The id of the supporter with this (normalised) email, created if new. */
export async function supporterIdFor(trx: Executor, email: string, language: string): Promise<number> {
  // A concurrent first signature with the same address can make one attempt see neither row.
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await sql<{ id: number }>`
      with ins as (
        insert into supporters (email, language) values (${email}, ${language})
        on conflict (email) do nothing
        returning id
      )
      select id from ins union all select id from supporters where email = ${email} limit 1
    `.execute(trx);
    if (found.rows[0]) return found.rows[0].id;
  }
  throw new Error("supporter upsert did not settle");
}

async function recordConsents(trx: Executor, input: SignatureInput, supporterId: number, signatureId: number) {
  const base = {
    supporter_id: supporterId, signature_id: signatureId, campaign_id: input.campaignId,
    language: input.language, source: input.source, ip_hash: input.ipHash,
  };
  await trx
    .insertInto("consents")
    .values([
      { ...base, kind: "privacy_notice", wording: input.privacyWording },
      ...(input.updatesOptIn ? [{ ...base, kind: "updates" as const, wording: input.updatesWording }] : []),
    ])
    .execute();
}

export interface ConfirmationContext {
  signatureId: number;
  status: string;
  campaignSlug: string;
  actionSlug: string;
  language: string;
}

/** Finds the signature a confirmation token belongs to, if the token exists and has not expired. */
export async function findByConfirmationToken(db: Executor, token: string): Promise<ConfirmationContext | undefined> {
  const row = await db
    .selectFrom("tokens as k")
    .innerJoin("signatures as s", "s.id", "k.signature_id")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["s.id", "s.status", "s.language", "a.slug as action_slug", "c.slug as campaign_slug"])
    .where("k.hash", "=", hashToken(token))
    .where("k.purpose", "=", "confirm_signature")
    .where("k.expires_at", ">", new Date())
    .executeTakeFirst();
  if (!row) return undefined;
  return { signatureId: row.id, status: row.status, campaignSlug: row.campaign_slug, actionSlug: row.action_slug, language: row.language };
}

/**
 * Confirms the signature behind a token. Idempotent: a second call changes nothing and still
 * reports the signature as confirmed. Returns undefined for an unknown or expired token.
 */
export async function confirmSignature(db: Executor, token: string): Promise<ConfirmationContext | undefined> {
  const context = await findByConfirmationToken(db, token);
  if (!context) return undefined;
  const updated = await db
    .updateTable("signatures")
    .set({ status: "confirmed", confirmed_at: sql`now()` })
    .where("id", "=", context.signatureId)
    .where("status", "=", "pending")
    .returning("status")
    .executeTakeFirst();
  if (updated) return { ...context, status: updated.status };
  // A concurrent confirmation (double click, scanner and person) may have won: report what is stored now.
  const current = await db.selectFrom("signatures").select("status").where("id", "=", context.signatureId).executeTakeFirstOrThrow();
  return { ...context, status: current.status };
}

/** Creates a confirmation token for a signature and stores its hash; returns the token itself. */
export async function issueConfirmationToken(trx: Executor, signatureId: number): Promise<string> {
  const token = newToken();
  await trx
    .insertInto("tokens")
    .values({
      hash: hashToken(token), purpose: "confirm_signature", signature_id: signatureId,
      expires_at: new Date(Date.now() + CONFIRMATION_WINDOW_MS + 24 * 3600 * 1000),
    })
    .execute();
  return token;
}
