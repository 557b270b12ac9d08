import { sql } from "kysely";
import type { Executor } from "../client";
import { hashToken, newToken } from "#core/tokens";
import { hashSuppressedAddress } from "./mail-events";

/** How long an emailed data/erasure link works. */
export const PRIVACY_LINK_HOURS = 24;
/** What a signature's name becomes once anonymised: still counted, no longer anyone. */
export const ANONYMOUS_NAME = "(anonymised)";
/** What a scrubbed letter's subject and body become. */
export const SCRUBBED_LETTER = "[removed]";

/**
 * Records a request for a supporter's data by email address; returns its id, or null when no
 * (unerased) supporter has that address. The caller answers the same in both cases.
 */
export async function createPrivacyRequest(db: Executor, email: string, language: string): Promise<number | null> {
  const row = await db
    .insertInto("privacy_requests")
    .columns(["supporter_id", "language", "expires_at"])
    .expression((eb) =>
      eb
        .selectFrom("supporters")
        .select(["id", sql.lit(language).as("language"), sql<Date>`now() + make_interval(hours => ${PRIVACY_LINK_HOURS})`.as("expires_at")])
        .where("email", "=", email)
        .where("erased_at", "is", null),
    )
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Requests never emailed and older than `graceMs`: their job never reached Redis. */
export async function unsentPrivacyRequests(db: Executor, graceMs: number): Promise<number[]> {
  const rows = await db
    .selectFrom("privacy_requests")
    .select("id")
    .where("sent_at", "is", null)
    .where("created_at", "<", new Date(Date.now() - graceMs))
    .where("expires_at", ">", new Date())
    .orderBy("id")
    .limit(1_000)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Locks an unsent request and issues its link token (only the hash is stored). Returns what the
 * email needs, or undefined when it was sent already, expired or the supporter is gone.
 */
export async function issuePrivacyToken(trx: Executor, requestId: number) {
  const row = await trx
    .selectFrom("privacy_requests as r")
    .innerJoin("supporters as p", "p.id", "r.supporter_id")
    .select(["r.id", "r.language", "p.email"])
    .where("r.id", "=", requestId)
    .where("r.sent_at", "is", null)
    .where("r.expires_at", ">", new Date())
    .where("p.erased_at", "is", null)
    .forUpdate("r")
    .executeTakeFirst();
  if (!row) return undefined;
  const token = newToken();
  await trx.updateTable("privacy_requests").set({ token_hash: hashToken(token) }).where("id", "=", requestId).execute();
  return { requestId: row.id, email: row.email, language: row.language, token };
}

/** Locks a request whose email has not gone out yet; false when it has (or the supporter is gone). */
export async function lockUnsentPrivacyRequest(trx: Executor, requestId: number): Promise<boolean> {
  const row = await trx
    .selectFrom("privacy_requests as r")
    .innerJoin("supporters as p", "p.id", "r.supporter_id")
    .select("r.id")
    .where("r.id", "=", requestId)
    .where("r.sent_at", "is", null)
    .where("r.erased_at", "is", null)
    .where("p.erased_at", "is", null)
    .forUpdate("r")
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks a request's email as sent. */
export async function markPrivacyRequestSent(trx: Executor, requestId: number): Promise<void> {
  await trx.updateTable("privacy_requests").set({ sent_at: sql`now()` }).where("id", "=", requestId).execute();
}

/** The supporter a live link token belongs to (not expired, not used for erasure). */
export async function findPrivacyRequest(db: Executor, token: string): Promise<{ requestId: number; supporterId: number; language: string } | undefined> {
  const row = await db
    .selectFrom("privacy_requests as r")
    .innerJoin("supporters as p", "p.id", "r.supporter_id")
    .select(["r.id", "r.supporter_id", "r.language"])
    .where("r.token_hash", "=", hashToken(token))
    .where("r.expires_at", ">", new Date())
    .where("r.erased_at", "is", null)
    .where("p.erased_at", "is", null)
    .executeTakeFirst();
  return row ? { requestId: row.id, supporterId: row.supporter_id, language: row.language } : undefined;
}

/** Everything Inkwell holds about a supporter, as plain data for a JSON download. */
export async function exportSupporterData(db: Executor, supporterId: number) {
  const supporter = await db
    .selectFrom("supporters")
    .select(["email", "language", "created_at"])
    .where("id", "=", supporterId)
    .executeTakeFirstOrThrow();
  const signatures = await db
    .selectFrom("signatures as s")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .leftJoin("letters as l", "l.signature_id", "s.id")
    .select([
      "s.id", "c.slug as campaign", "a.slug as action", "s.status", "s.name", "s.country", "s.postal_code", "s.comment",
      "s.language", "s.updates_opt_in", "s.created_at", "s.confirmed_at", "l.subject", "l.body", "l.scrubbed_at",
    ])
    .select(sql<boolean>`s.ip_hash is not null`.as("ip_fingerprint_kept"))
    .where("s.supporter_id", "=", supporterId)
    .orderBy("s.id")
    .execute();
  const recipients = await db
    .selectFrom("letter_recipients as r")
    .innerJoin("targets as t", "t.id", "r.target_id")
    .innerJoin("signatures as s", "s.id", "r.signature_id")
    .select(["r.signature_id", "t.name", "t.title"])
    .where("s.supporter_id", "=", supporterId)
    .execute();
  const consents = await db
    .selectFrom("consents as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .select(["c.slug as campaign", "k.kind", "k.wording", "k.language", "k.source", "k.given_at", "k.withdrawn_at"])
    .where("k.supporter_id", "=", supporterId)
    .orderBy("k.id")
    .execute();
  return {
    exportedAt: new Date().toISOString(),
    supporter: { email: supporter.email, language: supporter.language, firstSeen: supporter.created_at },
    signatures: signatures.map(({ id, subject, body, scrubbed_at, ...s }) => ({
      ...s,
      letter: subject === null ? null : {
        subject, body, removedAt: scrubbed_at,
        officials: recipients.filter((r) => r.signature_id === id).map((r) => `${r.name}, ${r.title}`),
      },
    })),
    consents,
  };
}

/**
 * Erases a supporter: the address is replaced, names, comments, postal codes, letters and IP
 * fingerprints are scrubbed, consents are withdrawn and every link dies. Confirmed signatures
 * stay confirmed and counted (as anonymous); pending ones are invalidated; letters not yet
 * delivered are withdrawn from their officials. Idempotent.
 */
export async function eraseSupporter(trx: Executor, supporterId: number): Promise<void> {
  const before = await trx.selectFrom("supporters").select(["email", "erased_at"]).where("id", "=", supporterId).executeTakeFirst();
  if (before && !before.erased_at) await hashSuppressedAddress(trx, before.email);
  await trx
    .updateTable("supporters")
    .set({ email: sql`'erased-' || id || '@erased.invalid'`, erased_at: sql`coalesce(erased_at, now())` })
    .where("id", "=", supporterId)
    .execute();
  const ids = trx.selectFrom("signatures").select("id").where("supporter_id", "=", supporterId);
  await trx
    .updateTable("signatures")
    .set({ status: "invalidated", invalidated_at: sql`now()`, invalidated_reason: "erased at the supporter's request" })
    .where("supporter_id", "=", supporterId)
    .where("status", "=", "pending")
    .execute();
  await anonymiseSignatures(trx, ids);
  await trx
    .deleteFrom("letter_recipients as r")
    .where("r.signature_id", "in", ids)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("delivery_items as i").select("i.signature_id").whereRef("i.signature_id", "=", "r.signature_id").whereRef("i.target_id", "=", "r.target_id"))),
    )
    .execute();
  await trx.deleteFrom("tokens").where((eb) => eb.or([eb("supporter_id", "=", supporterId), eb("signature_id", "in", ids)])).execute();
  await trx
    .updateTable("consents")
    .set({ withdrawn_at: sql`coalesce(withdrawn_at, now())`, ip_hash: null })
    .where("supporter_id", "=", supporterId)
    .execute();
  await trx
    .updateTable("privacy_requests")
    .set({ erased_at: sql`coalesce(erased_at, now())`, token_hash: null })
    .where("supporter_id", "=", supporterId)
    .execute();
}

type IdQuery = ReturnType<typeof idsOf>;
/** Signature ids, as a subquery to narrow with `where`. */
export const idsOf = (trx: Executor) => trx.selectFrom("signatures").select("id");

/** Anonymises the given signatures (name, postal code, comment, IP fingerprint) and scrubs their letters; returns how many changed. */
export async function anonymiseSignatures(trx: Executor, ids: IdQuery): Promise<number> {
  const result = await trx
    .updateTable("signatures")
    .set({ name: ANONYMOUS_NAME, postal_code: null, comment: null, ip_hash: null, updates_opt_in: false, anonymised_at: sql`now()` })
    .where("id", "in", ids)
    .where("anonymised_at", "is", null)
    .executeTakeFirst();
  await trx
    .updateTable("letters")
    .set({ subject: SCRUBBED_LETTER, body: SCRUBBED_LETTER, scrubbed_at: sql`now()` })
    .where("signature_id", "in", ids)
    .where("scrubbed_at", "is", null)
    .execute();
  return Number(result.numUpdatedRows);
}
