import { sql } from "kysely";
import type { Executor } from "../client";

/** What one official (or a whole campaign) did with the letters that reached them. */
export interface Figures {
  /** Letters in batches the receiving server did not refuse. */
  letters: number;
  /** Such batches. */
  batches: number;
  /** Batches that got at least one reply through Inkwell. */
  answered: number;
  /** Median days from a batch's sending to its first reply, over answered batches; null when none. */
  medianDays: number | null;
}

export interface OfficialFigures {
  id: number;
  name: string;
  title: string;
  /** For this campaign's letters. */
  campaign: Figures;
  /** For every campaign's letters on this Inkwell. */
  everywhere: Figures;
}

export interface Responsiveness {
  campaign: Figures;
  officials: OfficialFigures[];
}

/** Fewer batches than this and the figures say too little to compare one official with another. */
export const FEW_BATCHES = 5;

type Row = { target_id: number | null; letters: number; batches: number; answered: number; median_days: number | null };

const figures = (r: Row | undefined): Figures => ({
  letters: r?.letters ?? 0, batches: r?.batches ?? 0, answered: r?.answered ?? 0,
  medianDays: r?.median_days == null ? null : Math.round(Number(r.median_days) * 10) / 10,
});

// Sent batches in `b`, their first replies in `f`: one row per official plus a total (grouping sets).
// Unanswered batches order by null, which percentile_cont leaves out (greatest() would make them 0).
const aggregate = sql`
  select b.target_id, coalesce(sum(b.items), 0)::int as letters, count(b.id)::int as batches, count(f.delivery_id)::int as answered,
    percentile_cont(0.5) within group (order by case when f.first_at is not null then greatest(0, extract(epoch from f.first_at - b.sent_at)) / 86400.0 end) as median_days
  from b left join f on f.delivery_id = b.id
  group by grouping sets ((b.target_id), ())`;

/**
 * Responsiveness of the officials a campaign writes to: letters delivered, batches answered and the
 * median days to a first reply, for this campaign and across every campaign. A fixed number of
 * grouped queries on indexed columns, whatever the number of batches or officials.
 */
export async function campaignResponsiveness(db: Executor, campaignId: number): Promise<Responsiveness> {
  const officials = await db.selectFrom("action_targets as at").innerJoin("actions as a", "a.id", "at.action_id")
    .innerJoin("targets as t", "t.id", "at.target_id")
    .select(["t.id", "t.name", "t.title"]).distinct()
    .where("a.campaign_id", "=", campaignId).orderBy("t.name").limit(500).execute();
  const here = await sql<Row>`
    with b as (
      select d.id, d.target_id, d.items, d.sent_at from deliveries d join actions a on a.id = d.action_id
      where a.campaign_id = ${campaignId} and d.status = 'sent' and d.bounced_at is null and d.sent_at is not null
    ),
    f as (select r.delivery_id, min(r.received_at) as first_at from official_replies r where r.campaign_id = ${campaignId} group by r.delivery_id)
    ${aggregate}
  `.execute(db);
  const ids = officials.map((o) => o.id);
  const everywhere = ids.length === 0 ? { rows: [] as Row[] } : await sql<Row>`
    with b as (
      select d.id, d.target_id, d.items, d.sent_at from deliveries d
      where d.target_id = any(${ids}::bigint[]) and d.status = 'sent' and d.bounced_at is null and d.sent_at is not null
    ),
    f as (select r.delivery_id, min(r.received_at) as first_at from official_replies r where r.delivery_id in (select id from b) group by r.delivery_id)
    ${aggregate}
  `.execute(db);
  const byTarget = (rows: Row[]) => new Map(rows.filter((r) => r.target_id !== null).map((r) => [Number(r.target_id), r]));
  const hereBy = byTarget(here.rows);
  const everywhereBy = byTarget(everywhere.rows);
  return {
    campaign: figures(here.rows.find((r) => r.target_id === null)),
    officials: officials.map((o) => ({
      id: o.id, name: o.name, title: o.title, campaign: figures(hereBy.get(o.id)), everywhere: figures(everywhereBy.get(o.id)),
    })),
  };
}
