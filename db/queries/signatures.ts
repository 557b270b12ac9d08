import { sql } from "kysely";
import type { Executor } from "../client";
import { MAX_CONFIRMATION_EMAILS } from "#core/rules";
import { hashToken } from "#core/tokens";

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

/**
 * Records many first-time signatures in a few multi-row statements (supporters, signatures,
 * consents), for group commit. Returns, per input, its outcome when it created a new pending
 * signature, or null when the address had already signed the action (or repeats an earlier input):
 * the caller records those with `recordSignature` in the same transaction.
 */
export async function recordNewSignatures(trx: Executor, inputs: SignatureInput[]): Promise<(SignatureOutcome | null)[]> {
  if (inputs.length === 0) return [];
  const emails = [...new Set(inputs.map((i) => i.email))].sort();
  const language = new Map(inputs.map((i) => [i.email, i.language]));
  // Sorted, so two batches lock the same addresses in the same order.
  const found = await sql<{ id: number; email: string }>`
    with ins as (
      insert into supporters (email, language)
      select e, l from unnest(${emails}::text[], ${emails.map((e) => language.get(e)!)}::text[]) as u(e, l)
      order by e
      on conflict (email) do nothing
      returning id, email
    )
    select id, email from ins
    union all
    select id, email from supporters where email = any(${emails}::text[])
  `.execute(trx);
  const supporterIds = new Map(found.rows.map((r) => [r.email, r.id]));
  // A supporter inserted by a transaction that committed after this statement began is seen by neither half.
  for (const email of emails) if (!supporterIds.has(email)) supporterIds.set(email, await supporterIdFor(trx, email, language.get(email)!));

  const firsts = new Map<string, number>();
  inputs.forEach((input, index) => {
    const key = `${input.actionId}:${input.email}`;
    if (!firsts.has(key)) firsts.set(key, index);
  });
  const rows = [...firsts.values()].map((index) => ({ index, input: inputs[index]!, supporterId: supporterIds.get(inputs[index]!.email)! }));
  const column = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  const inserted = await sql<{ id: number; action_id: number; supporter_id: number }>`
    insert into signatures (action_id, supporter_id, name, country, postal_code, comment, language, updates_opt_in, ip_hash)
    select a, s, n, c, p, m, l, u, h from unnest(
      ${column((r) => r.input.actionId)}::int8[], ${column((r) => r.supporterId)}::int8[], ${column((r) => r.input.name)}::text[],
      ${column((r) => r.input.country)}::text[], ${column((r) => r.input.postalCode)}::text[], ${column((r) => r.input.comment)}::text[],
      ${column((r) => r.input.language)}::text[], ${column((r) => r.input.updatesOptIn)}::bool[], ${column((r) => r.input.ipHash)}::bytea[]
    ) as u(a, s, n, c, p, m, l, u, h)
    order by a, s
    on conflict (action_id, supporter_id) do nothing
    returning id, action_id, supporter_id
  `.execute(trx);
  const signatureIds = new Map(inserted.rows.map((r) => [`${r.action_id}:${r.supporter_id}`, r.id]));

  const outcomes: (SignatureOutcome | null)[] = inputs.map(() => null);
  const consents: { supporterId: number; signatureId: number; input: SignatureInput; kind: "privacy_notice" | "updates"; wording: string }[] = [];
  for (const r of rows) {
    const signatureId = signatureIds.get(`${r.input.actionId}:${r.supporterId}`);
    if (signatureId === undefined) continue;
    outcomes[r.index] = { signatureId, sendSeq: 1, fresh: true };
    consents.push({ supporterId: r.supporterId, signatureId, input: r.input, kind: "privacy_notice", wording: r.input.privacyWording });
    if (r.input.updatesOptIn) consents.push({ supporterId: r.supporterId, signatureId, input: r.input, kind: "updates", wording: r.input.updatesWording });
  }
  if (consents.length > 0) {
    await sql`
      insert into consents (supporter_id, signature_id, campaign_id, kind, wording, language, source, ip_hash)
      select * from unnest(
        ${consents.map((c) => c.supporterId)}::int8[], ${consents.map((c) => c.signatureId)}::int8[], ${consents.map((c) => c.input.campaignId)}::int8[],
        ${consents.map((c) => c.kind)}::text[], ${consents.map((c) => c.wording)}::text[], ${consents.map((c) => c.input.language)}::text[],
        ${consents.map((c) => c.input.source)}::text[], ${consents.map((c) => c.input.ipHash)}::bytea[]
      )
    `.execute(trx);
  }
  return outcomes;
}
