import { sql } from "kysely";
import type { DB, Executor } from "../client";
import type { Update, UpdateTranslation } from "../schema";

export interface UpdateText {
  language: string;
  subject: string;
  body: string;
}

export interface UpdateWithTexts extends Update {
  translations: UpdateTranslation[];
}

async function writeTexts(trx: Executor, updateId: number, texts: UpdateText[]) {
  await trx.deleteFrom("update_translations").where("update_id", "=", updateId).execute();
  if (texts.length === 0) return;
  await trx.insertInto("update_translations")
    .values(texts.map((t) => ({ update_id: updateId, language: t.language, subject: t.subject.trim(), body_markdown: t.body })))
    .execute();
}

/** Who an update is for when not every subscriber of the campaign: one call to action's supporters, or one batch's writers. */
export interface UpdateAudience {
  actionId?: number;
  deliveryId?: number;
}

/** Creates a draft update for a campaign with its subject and body per language. */
export async function createUpdate(
  trx: Executor, input: { campaignId: number; createdBy: number | null; texts: UpdateText[]; audience?: UpdateAudience },
): Promise<number> {
  const { id } = await trx.insertInto("updates")
    .values({
      campaign_id: input.campaignId, created_by: input.createdBy,
      audience_action_id: input.audience?.actionId ?? null, audience_delivery_id: input.audience?.deliveryId ?? null,
    })
    .returning("id").executeTakeFirstOrThrow();
  await writeTexts(trx, id, input.texts);
  return id;
}

/** Replaces the texts of a draft or scheduled update; false once it is sending, sent or cancelled. */
export async function editUpdate(trx: Executor, updateId: number, texts: UpdateText[]): Promise<boolean> {
  const row = await trx.updateTable("updates").set({ updated_at: sql<Date>`now()` })
    .where("id", "=", updateId).where("status", "in", ["draft", "scheduled"]).returning("id").executeTakeFirst();
  if (!row) return false;
  await writeTexts(trx, updateId, texts);
  return true;
}

/** Schedules a draft (or re-schedules a scheduled) update; `at` now means "send now". False when it is too late. */
export async function scheduleUpdate(trx: Executor, updateId: number, at: Date): Promise<boolean> {
  const row = await trx.updateTable("updates").set({ status: "scheduled", scheduled_for: at, updated_at: sql<Date>`now()` })
    .where("id", "=", updateId).where("status", "in", ["draft", "scheduled"]).returning("id").executeTakeFirst();
  return Boolean(row);
}

/** Cancels a draft or scheduled update before it starts; false once sending has begun. */
export async function cancelUpdate(trx: Executor, updateId: number): Promise<boolean> {
  const row = await trx.updateTable("updates").set({ status: "cancelled", cancelled_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where("id", "=", updateId).where("status", "in", ["draft", "scheduled"]).returning("id").executeTakeFirst();
  return Boolean(row);
}

/** One update with its texts, optionally only within one campaign. */
export async function getUpdate(db: Executor, updateId: number, campaignId?: number): Promise<UpdateWithTexts | undefined> {
  let q = db.selectFrom("updates").selectAll().where("id", "=", updateId);
  if (campaignId !== undefined) q = q.where("campaign_id", "=", campaignId);
  const update = await q.executeTakeFirst();
  if (!update) return undefined;
  const translations = await db.selectFrom("update_translations").selectAll().where("update_id", "=", updateId).orderBy("language").execute();
  return { ...update, translations };
}

/** The text for a recipient's language: theirs, else English, else whatever the update has. */
export function textFor<T extends { language: string }>(texts: T[], language: string): T | undefined {
  return texts.find((t) => t.language === language) ?? texts.find((t) => t.language === "en") ?? texts[0];
}

export interface UpdateStats {
  audience: number;
  queued: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Recipients who unsubscribed from the campaign, or left every campaign, since the update started. */
  unsubscribedSince: number;
}

/** Audience, sent, failed and unsubscribed-since figures for one update, from its ledger. */
export async function updateStats(db: Executor, updateId: number): Promise<UpdateStats> {
  const { rows } = await sql<UpdateStats>`
    select count(*)::int as audience,
      count(*) filter (where r.status = 'queued')::int as queued,
      count(*) filter (where r.status = 'sent')::int as sent,
      count(*) filter (where r.status = 'failed')::int as failed,
      count(*) filter (where r.status = 'skipped')::int as skipped,
      count(*) filter (where exists (
        select 1 from subscriptions x where x.supporter_id = r.supporter_id and x.campaign_id = u.campaign_id and x.unsubscribed_at >= u.started_at
      ) or exists (
        select 1 from suppressions x where x.supporter_id = r.supporter_id and x.reason = 'unsubscribed' and x.created_at >= u.started_at
      ))::int as "unsubscribedSince"
    from update_recipients r join updates u on u.id = r.update_id
    where r.update_id = ${updateId}
  `.execute(db);
  return rows[0]!;
}

/** A campaign's updates, newest first, with their figures. */
export async function listUpdates(db: DB, campaignId: number) {
  const updates = await db.selectFrom("updates as u")
    .select(["u.id", "u.status", "u.scheduled_for", "u.created_at", "u.sent_at", "u.audience_size", "u.audience_action_id", "u.audience_delivery_id"])
    .select((eb) => eb.selectFrom("update_translations as t").select("t.subject").whereRef("t.update_id", "=", "u.id")
      .orderBy(sql`t.language = 'en'`, "desc").limit(1).as("subject"))
    .where("u.campaign_id", "=", campaignId).orderBy("u.id", "desc").execute();
  return Promise.all(updates.map(async (u) => ({ ...u, stats: await updateStats(db, u.id) })));
}

/** A campaign's title in `language`, else in its default language, else its slug. */
export async function campaignTitleIn(db: Executor, campaignId: number, language: string): Promise<string> {
  const row = await db.selectFrom("campaigns as c")
    .select("c.slug")
    .select((eb) => eb.selectFrom("campaign_translations as t").select("t.title").whereRef("t.campaign_id", "=", "c.id")
      .orderBy(sql`t.language = ${language}`, "desc").orderBy(sql`t.language = c.default_language`, "desc").limit(1).as("title"))
    .where("c.id", "=", campaignId).executeTakeFirst();
  return row?.title ?? row?.slug ?? "";
}

/** The languages a campaign is written in (its updates are composed in each). */
export async function campaignLanguages(db: Executor, campaignId: number): Promise<string[]> {
  const rows = await db.selectFrom("campaign_translations as t").innerJoin("campaigns as c", "c.id", "t.campaign_id")
    .select("t.language").where("t.campaign_id", "=", campaignId)
    .orderBy(sql`t.language = c.default_language`, "desc").orderBy("t.language").execute();
  return rows.length ? rows.map((r) => r.language) : ["en"];
}
