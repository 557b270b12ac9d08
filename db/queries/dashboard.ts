import { sql } from "kysely";
import type { Executor } from "../client";

export interface DayPoint {
  day: string;
  signed: number;
  confirmed: number;
}

/**
 * A campaign's numbers for its dashboard, over the last `days` days (UTC): signatures per day,
 * by country, and letters delivered per official. Each is one GROUP BY on indexed columns with a
 * date bound (signatures_action_created_idx); the all-time total comes from the counters.
 */
export async function campaignDashboard(db: Executor, campaignId: number, days: number, now = new Date()) {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const actions = db.selectFrom("actions").select("id").where("campaign_id", "=", campaignId);
  const [perDay, countries, officials, totals] = await Promise.all([
    db
      .selectFrom("signatures")
      .select([
        sql<string>`to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD')`.as("day"),
        sql<number>`count(*)::int8`.as("signed"),
        sql<number>`count(*) filter (where status = 'confirmed')::int8`.as("confirmed"),
      ])
      .where("action_id", "in", actions)
      .where("created_at", ">=", since)
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom("signatures")
      .select(["country", sql<number>`count(*)::int8`.as("n")])
      .where("action_id", "in", actions)
      .where("created_at", ">=", since)
      .where("status", "=", "confirmed")
      .groupBy("country")
      .orderBy(sql`count(*)`, "desc")
      .orderBy("country")
      .limit(10)
      .execute(),
    db
      .selectFrom("deliveries as d")
      .innerJoin("targets as t", "t.id", "d.target_id")
      .select(["t.id", "t.name", sql<number>`coalesce(sum(d.items) filter (where d.status = 'sent'), 0)::int8`.as("delivered")])
      .where("d.action_id", "in", actions)
      .groupBy(["t.id", "t.name"])
      .orderBy("t.name")
      .execute(),
    db
      .selectFrom("campaigns as c")
      .leftJoin("actions as a", "a.campaign_id", "c.id")
      .leftJoin("action_counters as k", "k.action_id", "a.id")
      .select(["c.goal", sql<number>`coalesce(sum(k.confirmed), 0)::int8`.as("confirmed")])
      .where("c.id", "=", campaignId)
      .groupBy("c.goal")
      .executeTakeFirst(),
  ]);
  const byDay = new Map(perDay.map((r) => [r.day, r]));
  const series: DayPoint[] = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const r = byDay.get(day);
    series.push({ day, signed: Number(r?.signed ?? 0), confirmed: Number(r?.confirmed ?? 0) });
  }
  const total = Number(totals?.confirmed ?? 0);
  const inWindow = series.reduce((sum, p) => sum + p.confirmed, 0);
  // The counter is the truth for the total; what came before the window is the rest of it.
  let running = Math.max(total - inWindow, 0);
  const cumulative = series.map((p) => ({ day: p.day, confirmed: (running += p.confirmed) }));
  const signed = series.reduce((sum, p) => sum + p.signed, 0);
  return {
    days,
    goal: totals?.goal ?? 0,
    total,
    series,
    cumulative,
    countries: countries.map((c) => ({ country: c.country, confirmed: Number(c.n) })),
    confirmation: { signed, confirmed: inWindow, rate: signed ? inWindow / signed : 0 },
    officials: officials.map((o) => ({ id: o.id, name: o.name, delivered: Number(o.delivered) })),
  };
}

/** Confirmed signatures of a campaign by the channel that brought them ("direct" when none was given), largest first. */
export async function confirmedBySource(db: Executor, campaignId: number) {
  return db
    .selectFrom("signatures as s")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .select([sql<string>`coalesce(s.source, 'direct')`.as("source"), sql<number>`count(*)::int`.as("confirmed")])
    .where("a.campaign_id", "=", campaignId)
    .where("s.status", "=", "confirmed")
    .groupBy(sql`coalesce(s.source, 'direct')`)
    .orderBy(sql`count(*)`, "desc")
    .limit(50)
    .execute();
}
