import { sql } from "kysely";
import type { Executor } from "../client";
import type { OutcomeKind, ResultKind } from "../schema";

export const OUTCOME_KINDS = ["won", "partly_won", "no_change", "closed"] as const satisfies readonly OutcomeKind[];
export const RESULT_KINDS = ["response", "result"] as const satisfies readonly ResultKind[];

/** Whether the call to action belongs to the campaign (a form names actions by id). */
export async function actionOfCampaign(db: Executor, campaignId: number, actionId: number): Promise<boolean> {
  const row = await db.selectFrom("actions").select("id").where("id", "=", actionId).where("campaign_id", "=", campaignId).executeTakeFirst();
  return row !== undefined;
}

/** Records a response or result of a campaign (or of one of its calls to action). */
export async function addResult(
  trx: Executor,
  input: { campaignId: number; actionId: number | null; kind: ResultKind; happenedOn: string; who: string; what: string; link: string | null; createdBy: number },
): Promise<number> {
  const { id } = await trx.insertInto("campaign_results")
    .values({
      campaign_id: input.campaignId, action_id: input.actionId, kind: input.kind, happened_on: input.happenedOn,
      who: input.who, what: input.what, link: input.link, created_by: input.createdBy,
    })
    .returning("id").executeTakeFirstOrThrow();
  return id;
}

/** Removes one of a campaign's results; false when it is not the campaign's. */
export async function removeResult(trx: Executor, campaignId: number, resultId: number): Promise<boolean> {
  const row = await trx.deleteFrom("campaign_results").where("id", "=", resultId).where("campaign_id", "=", campaignId).returning("id").executeTakeFirst();
  return row !== undefined;
}

/** A campaign's responses and results in the order they happened (at most 200). */
export async function listResults(db: Executor, campaignId: number) {
  return db.selectFrom("campaign_results as r").leftJoin("actions as a", "a.id", "r.action_id")
    .select(["r.id", "r.action_id", "a.slug as action_slug", "r.kind", "r.who", "r.what", "r.link"])
    .select(sql<string>`to_char(r.happened_on, 'YYYY-MM-DD')`.as("happened_on"))
    .where("r.campaign_id", "=", campaignId)
    .orderBy("r.happened_on").orderBy("r.id").limit(200).execute();
}

/**
 * Records the outcome of a campaign (no action) or of one call to action, once per scope: null when
 * one is already recorded (the unique index decides, so two presses at once record one).
 */
export async function insertOutcome(
  trx: Executor,
  input: { campaignId: number; actionId: number | null; outcome: OutcomeKind; decidedOn: string; summary: string; recordedBy: number },
): Promise<number | null> {
  const { rows } = await sql<{ id: number }>`
    insert into outcomes (campaign_id, action_id, outcome, decided_on, summary, recorded_by)
    values (${input.campaignId}, ${input.actionId}, ${input.outcome}, ${input.decidedOn}, ${input.summary}, ${input.recordedBy})
    on conflict (campaign_id, coalesce(action_id, 0)) do nothing
    returning id
  `.execute(trx);
  return rows[0]?.id ?? null;
}

/** Links a recorded outcome to the update that tells it. */
export async function setOutcomeUpdate(trx: Executor, outcomeId: number, updateId: number): Promise<void> {
  await trx.updateTable("outcomes").set({ update_id: updateId }).where("id", "=", outcomeId).execute();
}

/** A campaign's outcomes: the campaign's own (action null) and its calls to action's. */
export async function listOutcomes(db: Executor, campaignId: number) {
  return db.selectFrom("outcomes as o").leftJoin("actions as a", "a.id", "o.action_id")
    .select(["o.id", "o.action_id", "a.slug as action_slug", "o.outcome", "o.summary", "o.recorded_at", "o.update_id"])
    .select(sql<string>`to_char(o.decided_on, 'YYYY-MM-DD')`.as("decided_on"))
    .where("o.campaign_id", "=", campaignId)
    .orderBy("o.decided_on").orderBy("o.id").execute();
}

export interface DeliveryDay {
  actionId: number;
  actionSlug: string;
  official: string;
  day: string;
  letters: number;
}

/**
 * Batches that reached their officials, one line per call to action, official and day (the latest
 * 200). Only batches still counted as sent: a batch whose official's server bounced it is failed
 * and never shows here.
 */
export async function deliveryDays(db: Executor, campaignId: number): Promise<DeliveryDay[]> {
  const { rows } = await sql<{ action_id: number; slug: string; name: string; day: string; letters: number }>`
    select d.action_id, a.slug, t.name, to_char(d.sent_at at time zone 'UTC', 'YYYY-MM-DD') as day, sum(d.items)::int as letters
    from deliveries d join actions a on a.id = d.action_id join targets t on t.id = d.target_id
    where a.campaign_id = ${campaignId} and d.status = 'sent' and d.bounced_at is null and d.sent_at is not null
    group by d.action_id, a.slug, t.id, t.name, day
    order by day desc, t.name
    limit 200
  `.execute(db);
  return rows.map((r) => ({ actionId: r.action_id, actionSlug: r.slug, official: r.name, day: r.day, letters: r.letters }));
}

/** A call to action's title in `language`, else in its campaign's default language, else its slug. */
export async function actionTitleIn(db: Executor, actionId: number, language: string): Promise<string> {
  const row = await db.selectFrom("actions as a").innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select("a.slug")
    .select((eb) => eb.selectFrom("action_translations as t").select("t.title").whereRef("t.action_id", "=", "a.id")
      .orderBy(sql`t.language = ${language}`, "desc").orderBy(sql`t.language = c.default_language`, "desc").limit(1).as("title"))
    .where("a.id", "=", actionId).executeTakeFirst();
  return row?.title ?? row?.slug ?? "";
}
