import { sql } from "kysely";
import type { Executor } from "../client";

export interface NoticeToSend {
  supporterId: number;
  day: string;
  /** Tomorrow's notice: today's has already gone out. */
  tomorrow: boolean;
}

/**
 * Records a sent batch's supporters who opted in (a page of them, by keyset) as owed a notice,
 * and makes sure each has a queued notice: today's, or tomorrow's when today's already went out.
 * Locks today's notice rows, so a notice being sent either carries this delivery or leaves it for the next one.
 */
export async function owedNotices(trx: Executor, deliveryId: number, after: number, pageSize: number): Promise<{ notices: NoticeToSend[]; last: number | null }> {
  const page = await sql<{ supporter_id: number }>`
    select distinct s.supporter_id
    from delivery_items i join signatures s on s.id = i.signature_id
    join deliveries d on d.id = i.delivery_id
    where i.delivery_id = ${deliveryId} and d.status = 'sent' and s.status = 'confirmed' and s.updates_opt_in and s.supporter_id > ${after}
    order by s.supporter_id limit ${pageSize}
  `.execute(trx);
  const ids = page.rows.map((r) => r.supporter_id);
  if (ids.length === 0) return { notices: [], last: null };
  await sql`
    insert into delivery_notice_items (supporter_id, delivery_id)
    select unnest(${ids}::int8[]), ${deliveryId} on conflict do nothing
  `.execute(trx);
  const { rows } = await sql<{ supporter_id: number; status: string; today: string }>`
    with today as (select (now() at time zone 'utc')::date as d),
    ins as (
      insert into delivery_notices (supporter_id, day) select unnest(${ids}::int8[]), (select d from today) on conflict do nothing
    )
    select n.supporter_id, n.status, (select d from today)::text as today
    from delivery_notices n where n.day = (select d from today) and n.supporter_id = any(${ids}::int8[])
    for update of n
  `.execute(trx);
  const known = new Map(rows.map((r) => [r.supporter_id, r.status]));
  const today = rows[0]?.today ?? (await sql<{ d: string }>`select (now() at time zone 'utc')::date::text as d`.execute(trx)).rows[0]!.d;
  const tomorrowIds = ids.filter((id) => (known.get(id) ?? "queued") !== "queued");
  let tomorrow = "";
  if (tomorrowIds.length) {
    const t = await sql<{ d: string }>`
      with ins as (
        insert into delivery_notices (supporter_id, day) select unnest(${tomorrowIds}::int8[]), ${today}::date + 1 on conflict do nothing
      ) select (${today}::date + 1)::text as d
    `.execute(trx);
    tomorrow = t.rows[0]!.d;
  }
  const notices = ids.map((id) => (tomorrowIds.includes(id) ? { supporterId: id, day: tomorrow, tomorrow: true } : { supporterId: id, day: today, tomorrow: false }));
  return { notices, last: ids[ids.length - 1]! };
}

/** Locks a supporter's notice for a day; undefined when there is none. */
export async function lockNotice(trx: Executor, supporterId: number, day: string) {
  return trx.selectFrom("delivery_notices").select("status")
    .where("supporter_id", "=", supporterId).where("day", "=", day).forUpdate().executeTakeFirst();
}

export interface NoticedDelivery {
  campaignId: number;
  official: string;
  deliveredAt: Date;
}

/** Claims every delivery not yet reported to the supporter for this day's notice, with what the email says. */
export async function claimNoticeItems(trx: Executor, supporterId: number, day: string): Promise<NoticedDelivery[]> {
  const { rows } = await sql<{ campaign_id: number; name: string; title: string; sent_at: Date }>`
    with claimed as (
      update delivery_notice_items set notice_day = ${day}::date
      where supporter_id = ${supporterId} and notice_day is null
      returning delivery_id
    )
    select a.campaign_id, t.name, t.title, d.sent_at
    from claimed c join deliveries d on d.id = c.delivery_id
    join actions a on a.id = d.action_id join targets t on t.id = d.target_id
    order by d.sent_at, t.name
  `.execute(trx);
  return rows.map((r) => ({ campaignId: r.campaign_id, official: `${r.name} (${r.title})`, deliveredAt: r.sent_at }));
}

/** Settles a day's notice. */
export async function markNotice(trx: Executor, supporterId: number, day: string, status: "sent" | "skipped" | "failed", error: string | null = null) {
  await trx.updateTable("delivery_notices").set({ status, error, sent_at: status === "sent" ? sql<Date>`now()` : null })
    .where("supporter_id", "=", supporterId).where("day", "=", day).execute();
}

/** The name and language of the supporter's latest confirmed signature. */
export async function supporterGreeting(db: Executor, supporterId: number): Promise<{ name: string; language: string } | undefined> {
  return db.selectFrom("signatures").select(["name", "language"])
    .where("supporter_id", "=", supporterId).where("status", "=", "confirmed").orderBy("id", "desc").limit(1).executeTakeFirst();
}
