import { sql } from "kysely";
import type { DB, Executor } from "../client";
import { normaliseEmail } from "#core/rules";
import type { SignatureStatus } from "../schema";
import { recordAudit } from "./audit";
import { lockCounters } from "./counters";

export interface SupporterFilter {
  campaignId: number;
  actionId?: number;
  status?: SignatureStatus;
  country?: string;
  /** Signed at or after this moment. */
  from?: Date;
  /** Signed before this moment. */
  to?: Date;
  /** An exact email address, or the start of a name. */
  search?: string;
  /** Only signatures with an id up to this one (pins "everything matching" to what was reviewed). */
  upTo?: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What a workspace search asks for: an exact address when it holds an "@" (the supporters' unique
 * index), otherwise a name prefix as a LIKE pattern (signatures_action_name_idx on lower(name)).
 * The list, the invalidation and the export all read a search this way, so they agree on the rows.
 */
export function readSearch(search: string | undefined): { email: string } | { namePattern: string } | null {
  const s = search?.trim();
  if (!s) return null;
  return s.includes("@") ? { email: normaliseEmail(s) } : { namePattern: `${escapeLike(s.toLowerCase())}%` };
}

/**
 * The campaign's signatures matching a filter. Search is an exact address (the supporters' unique
 * email index) or a name prefix (signatures_action_name_idx): never a leading wildcard over every row.
 */
function matching(db: Executor, f: SupporterFilter) {
  let q = db
    .selectFrom("signatures as s")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .where("a.campaign_id", "=", f.campaignId);
  if (f.actionId !== undefined) q = q.where("s.action_id", "=", f.actionId);
  if (f.status) q = q.where("s.status", "=", f.status);
  if (f.country) q = q.where("s.country", "=", f.country.toUpperCase());
  if (f.from) q = q.where("s.created_at", ">=", f.from);
  if (f.to) q = q.where("s.created_at", "<", f.to);
  if (f.upTo !== undefined) q = q.where("s.id", "<=", f.upTo);
  const search = readSearch(f.search);
  if (search && "email" in search) {
    q = q.where("s.supporter_id", "=", (eb) => eb.selectFrom("supporters").select("id").where("email", "=", search.email));
  } else if (search) {
    q = q.where(sql`lower(s.name)`, "like", search.namePattern);
  }
  return q;
}

/** A page of matching signatures, newest first; `before` is the last id of the previous page (keyset, not OFFSET). */
export async function listSignatures(db: Executor, f: SupporterFilter, page: { before?: number; limit?: number } = {}) {
  const limit = page.limit ?? 50;
  let q = matching(db, f)
    .innerJoin("supporters as p", "p.id", "s.supporter_id")
    .leftJoin("action_translations as t", (j) => j.onRef("t.action_id", "=", "a.id").on("t.language", "=", sql<string>`(select default_language from campaigns where id = ${f.campaignId})`))
    .select([
      "s.id", "s.supporter_id", "s.status", "s.name", "s.country", "s.created_at", "s.confirmed_at", "s.held_at", "a.slug as action_slug",
      sql<string>`coalesce(t.title, a.slug)`.as("action_title"),
    ])
    .select((eb) => eb.case().when("p.erased_at", "is", null).then(eb.ref("p.email")).else(null).end().as("email"))
    .orderBy("s.id", "desc")
    .limit(limit + 1);
  if (page.before !== undefined) q = q.where("s.id", "<", page.before);
  const rows = await q.execute();
  return { rows: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1]!.id : null };
}

/**
 * How many signatures match, per status, and how many of them are held. Two grouped counts that
 * (unfiltered) read only the indexes signatures_action_status_idx and signatures_held_idx.
 */
export async function countByStatus(db: Executor, f: SupporterFilter) {
  const [rows, held] = await Promise.all([
    matching(db, f).select(["s.status", sql<number>`count(*)::int8`.as("n")]).groupBy("s.status").execute(),
    matching(db, f).where("s.held_at", "is not", null).select(sql<number>`count(*)::int8`.as("n")).executeTakeFirstOrThrow(),
  ]);
  const counts: Record<SignatureStatus, number> = { pending: 0, confirmed: 0, expired: 0, invalidated: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return { counts, held: Number(held.n), total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

/** The highest id the filter matches now: "everything matching" is pinned to it when reviewed. */
export async function highestMatchingId(db: Executor, f: SupporterFilter): Promise<number> {
  const row = await matching(db, f).select(sql<number | null>`max(s.id)`.as("id")).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** How many signatures an invalidation would change: pending or confirmed, among `ids` or matching the filter. */
export async function countInvalidatable(db: Executor, f: SupporterFilter, ids?: number[]): Promise<number> {
  let q = matching(db, f).where("s.status", "in", ["pending", "confirmed"]);
  if (ids) q = q.where("s.id", "in", ids.length ? ids : [0]);
  const row = await q.select(sql<number>`count(*)::int8`.as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface Invalidation {
  campaignerId: number;
  reason: string;
  /** The ticked signatures; without them, everything matching the filter. */
  ids?: number[];
}

/**
 * Invalidates pending and confirmed signatures of one campaign in one transaction, with its audit
 * row. Confirmed ones already folded into a counter are subtracted from it at once; the rows are
 * locked first, so a concurrent fold either counted them before (and they are subtracted) or skips them.
 */
export async function invalidateSignatures(db: DB, f: SupporterFilter, inv: Invalidation): Promise<{ invalidated: number; uncounted: number }> {
  return db.transaction().execute(async (trx) => {
    // A reconciliation counting while this commits would write the old total back.
    await lockCounters(trx);
    let target = matching(trx, f)
      .select(["s.id", "s.action_id", "s.status", "s.counted", "s.held_at"])
      .where("s.status", "in", ["pending", "confirmed"])
      .modifyEnd(sql`for update of s`);
    if (inv.ids) target = target.where("s.id", "in", inv.ids.length ? inv.ids : [0]);
    const { rows } = await sql<{ invalidated: number; uncounted: number }>`
      with target as (${target}),
      changed as (
        update signatures s
        set status = 'invalidated', invalidated_at = now(), invalidated_reason = ${inv.reason}, counted = false
        from target t where s.id = t.id
        returning t.action_id, t.status as was, t.counted as was_counted, t.held_at as was_held
      ),
      folded as (
        select action_id, count(*)::int8 as n from changed where was = 'confirmed' and was_counted and was_held is null group by action_id
      ),
      uncount as (
        update action_counters c set confirmed = greatest(c.confirmed - folded.n, 0), updated_at = now()
        from folded where c.action_id = folded.action_id
        returning folded.n
      )
      select (select count(*) from changed)::int8 as invalidated, (select coalesce(sum(n), 0) from uncount)::int8 as uncounted
    `.execute(trx);
    const result = { invalidated: Number(rows[0]?.invalidated ?? 0), uncounted: Number(rows[0]?.uncounted ?? 0) };
    await recordAudit(trx, {
      campaignerId: inv.campaignerId,
      campaignId: f.campaignId,
      action: "signatures.invalidate",
      subjectType: "signature",
      subjectId: inv.ids?.length === 1 ? inv.ids[0] : null,
      details: { reason: inv.reason, count: result.invalidated, uncounted: result.uncounted, ...(inv.ids ? { ids: inv.ids } : { filter: describeFilter(f) }) },
    });
    return result;
  });
}

/** A filter as plain data for the audit log (dates as ISO strings, no campaign id). */
export function describeFilter(f: SupporterFilter): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (f.actionId !== undefined) out.action = f.actionId;
  if (f.status) out.status = f.status;
  if (f.country) out.country = f.country;
  if (f.from) out.from = f.from.toISOString();
  if (f.to) out.to = f.to.toISOString();
  if (f.search) out.search = f.search.includes("@") ? "(an email address)" : f.search;
  if (f.upTo !== undefined) out.upTo = f.upTo;
  return out;
}

/** A campaign's calls to action with their titles in the campaign's default language, in page order. */
export async function campaignActionChoices(db: Executor, campaignId: number) {
  return db
    .selectFrom("actions as a")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .leftJoin("action_translations as t", (j) => j.onRef("t.action_id", "=", "a.id").onRef("t.language", "=", "c.default_language"))
    .select(["a.id", "a.slug", "a.kind", sql<string>`coalesce(t.title, a.slug)`.as("title")])
    .where("a.campaign_id", "=", campaignId)
    .orderBy("a.position")
    .orderBy("a.id")
    .execute();
}
