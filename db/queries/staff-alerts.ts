import { sql, type RawBuilder } from "kysely";
import type { DB, Executor } from "../client";
import type { StaffAlertKind } from "../schema";

/** Every kind of alert, in the order the workspace lists them. */
export const ALERT_KINDS: readonly StaffAlertKind[] = ["batch", "official", "held", "goal", "reply", "webhook"];

const campaignTitle = (campaign: RawBuilder<unknown>) => sql<string>`coalesce((select t.title from campaign_translations t
  where t.campaign_id = ${campaign} order by t.language = (select default_language from campaigns where id = ${campaign}) desc, t.language limit 1),
  (select slug from campaigns where id = ${campaign}))`;

/**
 * Records an alert for a campaign, once per key, with a recipient row for everyone on the campaign
 * (its creator and its members, not disabled) who has not switched the kind off. Runs in the
 * caller's transaction, so the alert exists exactly when the event does. Returns the new alert's id.
 */
export async function recordAlert(
  trx: Executor,
  a: { campaignId: number; kind: StaffAlertKind; key: RawBuilder<string> | string; detail: RawBuilder<unknown> },
): Promise<number | undefined> {
  const row = await sql<{ id: number }>`
    with alert as (
      insert into staff_alerts (campaign_id, kind, key, detail)
      values (${a.campaignId}, ${a.kind}, ${a.key}, ${a.detail})
      on conflict (key) do nothing
      returning id, campaign_id, kind
    ), recipients as (
      insert into staff_alert_recipients (alert_id, campaigner_id, email)
      select alert.id, w.id, coalesce(s.email_mode, 'immediate')
      from alert
      join campaigners w on w.disabled_at is null and (
        w.id = (select created_by from campaigns where id = alert.campaign_id)
        or exists (select 1 from campaign_members m where m.campaign_id = alert.campaign_id and m.campaigner_id = w.id))
      left join campaigner_alert_settings s on s.campaigner_id = w.id
      where not (alert.kind = any(coalesce(s.muted, '{}')))
      returning 1
    )
    select id from alert, (select count(*) from recipients) r
  `.execute(trx);
  return row.rows[0]?.id;
}

/** What a batch alert says: the campaign, the official, the batch number. */
async function batchFacts(trx: Executor, deliveryId: number) {
  return trx
    .selectFrom("deliveries as d")
    .innerJoin("actions as a", "a.id", "d.action_id")
    .innerJoin("targets as t", "t.id", "d.target_id")
    .select(["d.id", "d.seq", "d.target_id", "a.campaign_id", "t.name"])
    .where("d.id", "=", deliveryId)
    .executeTakeFirst();
}

/** A batch failed to send, bounced, or drew a complaint. One alert per event (transaction). */
export async function recordBatchAlert(trx: Executor, deliveryId: number, event: "failed" | "bounced" | "complained", reason: string | null) {
  const f = await batchFacts(trx, deliveryId);
  if (!f) return undefined;
  return recordAlert(trx, {
    campaignId: f.campaign_id, kind: "batch",
    key: sql<string>`${`batch-${deliveryId}-${event}-`} || txid_current()`,
    detail: sql`jsonb_build_object('campaign', ${campaignTitle(sql`${f.campaign_id}::int`)}, 'official', ${f.name}::text,
      'batch', ${f.seq}::int, 'deliveryId', ${f.id}::int, 'event', ${event}::text, 'reason', ${reason?.slice(0, 300) ?? null}::text)`,
  });
}

/**
 * An official's address was flagged after a hard bounce: every campaign writing to them hears of
 * it (their letters there wait too). Returns the alerts recorded.
 */
export async function recordOfficialAlert(trx: Executor, targetId: number, deliveryId: number, reason: string): Promise<number[]> {
  const f = await batchFacts(trx, deliveryId);
  if (!f) return [];
  const campaigns = await trx
    .selectFrom("action_targets as x")
    .innerJoin("actions as a", "a.id", "x.action_id")
    .select("a.campaign_id")
    .where("x.target_id", "=", targetId)
    .union(trx.selectNoFrom(sql<number>`${f.campaign_id}::int`.as("campaign_id")))
    .execute();
  const ids: number[] = [];
  for (const { campaign_id } of campaigns) {
    const id = await recordAlert(trx, {
      campaignId: campaign_id, kind: "official",
      key: sql<string>`${`official-${targetId}-${campaign_id}-`} || txid_current()`,
      detail: sql`jsonb_build_object('campaign', ${campaignTitle(sql`${campaign_id}::int`)}, 'official', ${f.name}::text, 'targetId', ${targetId}::int,
        'batch', ${campaign_id === f.campaign_id ? f.seq : null}::int, 'reason', ${reason.slice(0, 300)}::text)`,
    });
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/** An official replied to a batch. */
export async function recordReplyAlert(trx: Executor, replyId: number, deliveryId: number) {
  const f = await batchFacts(trx, deliveryId);
  if (!f) return undefined;
  return recordAlert(trx, {
    campaignId: f.campaign_id, kind: "reply", key: `reply-${replyId}`,
    detail: sql`jsonb_build_object('campaign', ${campaignTitle(sql`${f.campaign_id}::int`)}, 'official', ${f.name}::text, 'batch', ${f.seq}::int, 'replyId', ${replyId}::int)`,
  });
}

/** A webhook endpoint was paused after failing too often. */
export async function recordWebhookAlert(trx: Executor, campaignId: number, endpointId: number, url: string, failures: number) {
  return recordAlert(trx, {
    campaignId, kind: "webhook", key: sql<string>`${`webhook-${endpointId}-`} || txid_current()`,
    detail: sql`jsonb_build_object('campaign', ${campaignTitle(sql`${campaignId}::int`)}, 'url', ${url.slice(0, 500)}::text, 'failures', ${failures}::int)`,
  });
}

/**
 * After a hold has committed: alerts once when the campaign's held signatures reach its threshold.
 * The campaign row is locked first, so of concurrent holds the last to check counts them all, and
 * the mark on the row makes them alert once; `rearmHeldAlert` clears it when reviewing brings the
 * count back under the threshold.
 */
export async function noteHeldSignature(db: DB, campaignId: number): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom("campaigns").select(["id", "held_alert_threshold"])
      .where("id", "=", campaignId).where("held_alerted_at", "is", null).forUpdate().executeTakeFirst();
    if (!c) return undefined;
    const { held } = await trx.selectFrom("signatures as s").innerJoin("actions as a", "a.id", "s.action_id")
      .select(sql<number>`count(*)::int`.as("held")).where("a.campaign_id", "=", campaignId).where("s.held_at", "is not", null)
      .executeTakeFirstOrThrow();
    if (held < c.held_alert_threshold) return undefined;
    const marked = await trx.updateTable("campaigns").set({ held_alerted_at: sql`now()` }).where("id", "=", campaignId)
      .returning(sql<string>`(extract(epoch from held_alerted_at) * 1000)::int8::text`.as("at")).executeTakeFirstOrThrow();
    return recordAlert(trx, {
      campaignId, kind: "held", key: `held-${campaignId}-${marked.at}`,
      detail: sql`jsonb_build_object('campaign', ${campaignTitle(sql`${campaignId}::int`)}, 'held', ${held}::int, 'threshold', ${c.held_alert_threshold}::int)`,
    });
  });
}

/** After held signatures were reviewed (or the threshold changed): the next crossing alerts again. */
export async function rearmHeldAlert(trx: Executor, campaignId: number): Promise<void> {
  await sql`
    update campaigns c set held_alerted_at = null
    where c.id = ${campaignId} and c.held_alerted_at is not null and c.held_alert_threshold > (
      select count(*) from signatures s join actions a on a.id = s.action_id where a.campaign_id = ${campaignId} and s.held_at is not null)
  `.execute(trx);
}

/**
 * After counters moved: one alert per goal reached, for each touched call to action with a goal
 * and for their campaigns' overall goal. Keyed by the goal, so a raised goal alerts again once.
 */
export async function recordGoalAlerts(trx: Executor, actionIds: number[]): Promise<number[]> {
  if (actionIds.length === 0) return [];
  const actions = await sql<{ id: number; campaign_id: number; goal: number; confirmed: number; title: string }>`
    select a.id, a.campaign_id, a.goal, k.confirmed::int8 as confirmed,
      coalesce((select t.title from action_translations t join campaigns c on c.id = a.campaign_id where t.action_id = a.id
        order by t.language = c.default_language desc, t.language limit 1), a.slug) as title
    from actions a join action_counters k on k.action_id = a.id
    where a.id = any(${actionIds}::int[]) and a.goal > 0 and k.confirmed >= a.goal
      and not exists (select 1 from staff_alerts x where x.key = 'goal-action-' || a.id || '-' || a.goal)
  `.execute(trx);
  const campaigns = await sql<{ id: number; goal: number; confirmed: number }>`
    select c.id, c.goal, sum(k.confirmed)::int8 as confirmed
    from campaigns c join actions a on a.campaign_id = c.id join action_counters k on k.action_id = a.id
    where c.id in (select campaign_id from actions where id = any(${actionIds}::int[])) and c.goal > 0
      and not exists (select 1 from staff_alerts x where x.key = 'goal-campaign-' || c.id || '-' || c.goal)
    group by c.id, c.goal having sum(k.confirmed) >= c.goal
  `.execute(trx);
  const ids: number[] = [];
  for (const a of actions.rows) {
    const id = await recordAlert(trx, {
      campaignId: a.campaign_id, kind: "goal", key: `goal-action-${a.id}-${a.goal}`,
      detail: sql`jsonb_build_object('campaign', ${campaignTitle(sql`${a.campaign_id}::int`)}, 'action', ${a.title}::text, 'goal', ${a.goal}::int, 'count', ${Number(a.confirmed)}::int8)`,
    });
    if (id !== undefined) ids.push(id);
  }
  for (const c of campaigns.rows) {
    const id = await recordAlert(trx, {
      campaignId: c.id, kind: "goal", key: `goal-campaign-${c.id}-${c.goal}`,
      detail: sql`jsonb_build_object('campaign', ${campaignTitle(sql`${c.id}::int`)}, 'action', null, 'goal', ${c.goal}::int, 'count', ${Number(c.confirmed)}::int8)`,
    });
    if (id !== undefined) ids.push(id);
  }
  return ids;
}
