import { sql } from "kysely";
import type { Executor } from "../client";

/**
 * The address already on file for the same mailbox (Gmail dots and +tags, +tags at the providers
 * `inkwell_canonical_email` lists), so one person signing under variants is one supporter.
 */
export async function addressOnFile(db: Executor, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("supporters")
    .select("email")
    .where("canonical_email", "=", sql<string>`inkwell_canonical_email(${email})`)
    .where("erased_at", "is", null)
    .orderBy(sql`email = ${email}`, "desc")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.email;
}

/** Holds a just-recorded signature as suspicious: it is not counted or delivered until released. */
export async function holdSignature(db: Executor, signatureId: number, reason: string): Promise<void> {
  await db
    .updateTable("signatures")
    .set({ held_at: sql`now()`, held_reason: reason.slice(0, 200) })
    .where("id", "=", signatureId)
    .where("held_at", "is", null)
    .where("counted", "=", false)
    .execute();
}

export interface HeldSignature {
  id: number;
  status: string;
  name: string;
  country: string;
  emailDomain: string;
  ipFingerprint: string | null;
  heldReason: string | null;
  createdAt: Date;
  heldAt: Date;
}

/** Held signatures of an action, oldest first, a page at a time (`after` is the last id seen). */
export async function listHeld(db: Executor, actionId: number, options: { after?: number; limit?: number } = {}): Promise<HeldSignature[]> {
  const rows = await db
    .selectFrom("signatures as s")
    .innerJoin("supporters as p", "p.id", "s.supporter_id")
    .select(["s.id", "s.status", "s.name", "s.country", "s.ip_hash", "s.held_reason", "s.created_at", "s.held_at"])
    .select(sql<string>`split_part(p.email, '@', -1)`.as("domain"))
    .where("s.action_id", "=", actionId)
    .where("s.held_at", "is not", null)
    .where("s.id", ">", options.after ?? 0)
    .orderBy("s.id")
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: r.id, status: r.status, name: r.name, country: r.country, emailDomain: r.domain,
    ipFingerprint: r.ip_hash ? r.ip_hash.subarray(0, 6).toString("hex") : null,
    heldReason: r.held_reason, createdAt: r.created_at, heldAt: r.held_at!,
  }));
}

/**
 * Releases held signatures of an action: confirmed ones are folded into the counter by the next
 * fold, pending ones count once confirmed. Returns the ids released.
 */
export async function releaseHeld(db: Executor, actionId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable("signatures")
    .set({ held_at: null, held_reason: null })
    .where("action_id", "=", actionId)
    .where("id", "in", ids)
    .where("held_at", "is not", null)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/** Invalidates held signatures of an action with a reason; they never count. Returns the ids invalidated. */
export async function invalidateHeld(db: Executor, actionId: number, ids: number[], reason: string): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable("signatures")
    .set({ status: "invalidated", invalidated_at: sql`now()`, invalidated_reason: reason.slice(0, 200), held_at: null })
    .where("action_id", "=", actionId)
    .where("id", "in", ids)
    .where("held_at", "is not", null)
    .returning("id")
    .execute();
  if (rows.length) await db.deleteFrom("tokens").where("signature_id", "in", rows.map((r) => r.id)).execute();
  return rows.map((r) => r.id);
}

export interface TrendingRow {
  kind: "ip" | "domain";
  value: string;
  signatures: number;
  held: number;
  windowStart: Date;
  windowEnd: Date;
}

/**
 * Records, for every action, the IP fingerprints and email domains behind at least `minimum`
 * signatures in the hour before `windowEnd` (top ten of each). Re-running a window is harmless.
 */
export async function recordTrending(db: Executor, windowEnd: Date, minimum = 5): Promise<number> {
  const windowStart = new Date(windowEnd.getTime() - 3600_000);
  const result = await sql`
    with recent as (
      select s.action_id, s.ip_hash, s.held_at, split_part(p.email, '@', -1) as domain
      from signatures s join supporters p on p.id = s.supporter_id
      where s.created_at >= ${windowStart} and s.created_at < ${windowEnd} and p.erased_at is null
    ), grouped as (
      select action_id, 'ip' as kind, encode(substring(ip_hash from 1 for 6), 'hex') as value,
             count(*)::int as n, count(held_at)::int as held
      from recent where ip_hash is not null group by action_id, ip_hash
      union all
      select action_id, 'domain', domain, count(*)::int, count(held_at)::int
      from recent group by action_id, domain
    ), ranked as (
      select *, row_number() over (partition by action_id, kind order by n desc, value) as r
      from grouped where n >= ${minimum}
    )
    insert into trending_reports (action_id, window_start, window_end, kind, value, signatures, held)
    select action_id, ${windowStart}, ${windowEnd}, kind, value, n, held from ranked where r <= 10
    on conflict (action_id, window_end, kind, value) do update set signatures = excluded.signatures, held = excluded.held
  `.execute(db);
  await db.deleteFrom("trending_reports").where("window_end", "<", new Date(windowEnd.getTime() - 30 * 24 * 3600_000)).execute();
  return Number(result.numAffectedRows ?? 0);
}

/** The trending report of an action over its last `hours` recorded hours, newest first. */
export async function trendingFor(db: Executor, actionId: number, hours = 24): Promise<TrendingRow[]> {
  const rows = await db
    .selectFrom("trending_reports")
    .select(["kind", "value", "signatures", "held", "window_start", "window_end"])
    .where("action_id", "=", actionId)
    .where("window_end", ">", new Date(Date.now() - hours * 3600_000))
    .orderBy("window_end", "desc")
    .orderBy("signatures", "desc")
    .limit(200)
    .execute();
  return rows.map((r) => ({ kind: r.kind, value: r.value, signatures: r.signatures, held: r.held, windowStart: r.window_start, windowEnd: r.window_end }));
}

/** A campaign's calls to action with how many signatures each holds for review. */
export async function heldByAction(db: Executor, campaignId: number): Promise<{ id: number; slug: string; held: number }[]> {
  return db
    .selectFrom("actions as a")
    .leftJoin("signatures as s", (j) => j.onRef("s.action_id", "=", "a.id").on("s.held_at", "is not", null))
    .select(["a.id", "a.slug", sql<number>`count(s.id)::int`.as("held")])
    .where("a.campaign_id", "=", campaignId)
    .groupBy(["a.id", "a.slug", "a.position"])
    .orderBy("a.position")
    .orderBy("a.id")
    .execute();
}
