import { sql } from "kysely";
import { prepared, type Executor } from "../client";
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

/** What pressing the confirm button found and did, read and written by one statement. */
export interface Confirmation extends ConfirmationContext {
  campaignId: number;
  actionId: number;
  actionKind: string;
  supporterId: number;
  confirmedAt: Date | null;
  heldAt: Date | null;
  hasLetter: boolean;
  /** Whether an endpoint of the campaign listens for signature.confirmed. */
  hooked: boolean;
}

type ConfirmRow = {
  id: number; status: string; language: string; supporter_id: number; action_id: number; confirmed_at: Date | null; held_at: Date | null;
  changed: boolean; action_slug: string; kind: string; campaign_id: number; campaign_slug: string; has_letter: boolean; hooked: boolean;
};

/**
 * Confirms the signature behind a token, in one statement that also reads what the answer and the
 * webhook need. Idempotent: a second call changes nothing and still reports the signature as
 * confirmed. Returns undefined for an unknown or expired token.
 */
export async function confirmSignature(db: Executor, token: string): Promise<Confirmation | undefined> {
  const rows = await prepared(db, "confirm-signature", sql<ConfirmRow>`
    with t as (
      select signature_id from tokens where hash = ${hashToken(token)} and purpose = 'confirm_signature' and expires_at > now()
    ), changed as (
      update signatures s set status = 'confirmed', confirmed_at = now()
      from t where s.id = t.signature_id and s.status = 'pending'
      returning s.id, s.status, s.confirmed_at
    )
    select s.id, coalesce(changed.status, s.status) as status, s.language, s.supporter_id, s.action_id,
      coalesce(changed.confirmed_at, s.confirmed_at) as confirmed_at, s.held_at, changed.id is not null as changed,
      a.slug as action_slug, a.kind, c.id as campaign_id, c.slug as campaign_slug,
      exists (select 1 from letters l where l.signature_id = s.id) as has_letter,
      exists (select 1 from webhook_endpoints e where e.campaign_id = c.id and e.deleted_at is null and 'signature.confirmed' = any(e.events)) as hooked
    from t
    join signatures s on s.id = t.signature_id
    join actions a on a.id = s.action_id
    join campaigns c on c.id = a.campaign_id
    left join changed on changed.id = s.id
  `.compile(db));
  const row = rows[0];
  if (!row) return undefined;
  let { status, confirmed_at: confirmedAt } = row;
  // The statement saw the row before a concurrent confirmation (a double click, scanner and person) that won: read what is stored now.
  if (!row.changed && status === "pending") {
    const current = await db.selectFrom("signatures").select(["status", "confirmed_at"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    ({ status, confirmed_at: confirmedAt } = current);
  }
  return {
    signatureId: row.id, status, campaignSlug: row.campaign_slug, actionSlug: row.action_slug, language: row.language,
    campaignId: row.campaign_id, actionId: row.action_id, actionKind: row.kind, supporterId: row.supporter_id,
    confirmedAt, heldAt: row.held_at, hasLetter: row.has_letter, hooked: row.hooked,
  };
}

/**
 * Records many first-time signatures in one statement (supporters, signatures, consents), for
 * group commit: outside a transaction it commits on its own, with one round trip for the whole
 * batch. Each typed address is first resolved to the address on file that shares its canonical
 * form (Gmail dots and +tags), as `addressOnFile` does. Returns, per input, its outcome when it
 * created a new pending signature, or null when the address had already signed the action, repeats
 * an earlier input, or was added by a concurrent statement meanwhile: the caller records those
 * with `recordSignature` in a transaction.
 */
export async function recordNewSignatures(db: Executor, inputs: SignatureInput[]): Promise<(SignatureOutcome | null)[]> {
  if (inputs.length === 0) return [];
  const column = <T>(pick: (input: SignatureInput) => T) => inputs.map(pick);
  const rows = await prepared(db, "record-new-signatures", sql<{ n: number; id: number }>`
    with input as (
      select * from unnest(
        ${column((i) => i.email)}::text[], ${column((i) => i.language)}::text[], ${column((i) => i.actionId)}::int8[], ${column((i) => i.campaignId)}::int8[],
        ${column((i) => i.name)}::text[], ${column((i) => i.country)}::text[], ${column((i) => i.postalCode)}::text[], ${column((i) => i.comment)}::text[],
        ${column((i) => i.updatesOptIn)}::bool[], ${column((i) => i.ipHash)}::bytea[], ${column((i) => i.privacyWording)}::text[],
        ${column((i) => i.updatesWording)}::text[], ${column((i) => i.source)}::text[]
      ) with ordinality as u(typed, language, action_id, campaign_id, name, country, postal_code, comment, updates_opt_in, ip_hash, privacy_wording, updates_wording, source, n)
    ), resolved as (
      -- One index probe per input, whatever the statistics say (LIMIT keeps it a per-row lookup).
      select i.*, coalesce(found.email, i.typed) as email, found.id as found_id
      from input i left join lateral (
        select s.id, s.email from supporters s where s.canonical_email = inkwell_canonical_email(i.typed) and s.erased_at is null
        order by s.email = i.typed desc, s.id limit 1
      ) found on true
    ), new_supporters as (
      -- Sorted, so two batches lock the same addresses in the same order.
      insert into supporters (email, language)
      select email, language from (select distinct on (email) email, language from resolved order by email, n) first_use order by email
      on conflict (email) do nothing
      returning id, email
    ), people as (
      -- The supporters on file come from the lookup above, not from a second search of the table:
      -- a plan cached while the table was small would make that a scan of every supporter.
      select id, email from new_supporters
      union all
      select distinct found_id, email from resolved where found_id is not null
    ), firsts as (
      select distinct on (r.action_id, p.id) r.*, p.id as supporter_id
      from resolved r join people p on p.email = r.email
      order by r.action_id, p.id, r.n
    ), new_signatures as (
      insert into signatures (action_id, supporter_id, name, country, postal_code, comment, language, updates_opt_in, ip_hash)
      select action_id, supporter_id, name, country, postal_code, comment, language, updates_opt_in, ip_hash from firsts
      order by action_id, supporter_id
      on conflict (action_id, supporter_id) do nothing
      returning id, action_id, supporter_id
    ), new_consents as (
      insert into consents (supporter_id, signature_id, campaign_id, kind, wording, language, source, ip_hash)
      select f.supporter_id, g.id, f.campaign_id, k.kind, k.wording, f.language, f.source, f.ip_hash
      from new_signatures g
      join firsts f on f.action_id = g.action_id and f.supporter_id = g.supporter_id
      cross join lateral (values ('privacy_notice', f.privacy_wording), ('updates', f.updates_wording)) as k(kind, wording)
      where k.kind = 'privacy_notice' or f.updates_opt_in
    )
    select f.n, g.id from new_signatures g join firsts f on f.action_id = g.action_id and f.supporter_id = g.supporter_id
  `.compile(db));
  const outcomes: (SignatureOutcome | null)[] = inputs.map(() => null);
  for (const row of rows) outcomes[row.n - 1] = { signatureId: row.id, sendSeq: 1, fresh: true };
  return outcomes;
}
