import { sql } from "kysely";
import type { DB, Executor } from "../client";
import type { RecipientStatus, Update, UpdateTranslation } from "../schema";

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

/** Creates a draft update for a campaign with its subject and body per language. */
export async function createUpdate(trx: Executor, input: { campaignId: number; createdBy: number | null; texts: UpdateText[] }): Promise<number> {
  const { id } = await trx.insertInto("updates").values({ campaign_id: input.campaignId, created_by: input.createdBy })
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

export type Claim = "claimed" | "resume" | "done" | "not-due";

/**
 * Claims an update for fan-out: scheduled and due → sending, atomically, so two triggers start it
 * once. An update already sending but not fanned out (a crashed worker) is resumed.
 */
export async function claimUpdate(db: Executor, updateId: number): Promise<Claim> {
  const claimed = await db.updateTable("updates").set({ status: "sending", started_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where("id", "=", updateId).where("status", "=", "scheduled").where("scheduled_for", "<=", sql<Date>`now()`)
    .returning("id").executeTakeFirst();
  if (claimed) return "claimed";
  const row = await db.selectFrom("updates").select(["status", "fanned_out_at"]).where("id", "=", updateId).executeTakeFirst();
  if (row?.status === "sending" && row.fanned_out_at === null) return "resume";
  return row?.status === "sending" || row?.status === "sent" || row?.status === "cancelled" ? "done" : "not-due";
}

/**
 * Adds the next page of the audience to the ledger (after supporter `after`, by keyset): confirmed
 * signers of the campaign who opted in to updates, not erased, not unsubscribed, not suppressed,
 * one row per supporter in the language of their latest signature. Rows already there stay as they are.
 */
export async function addAudiencePage(db: Executor, updateId: number, after: number, pageSize: number): Promise<{ count: number; last: number }> {
  const { rows } = await sql<{ n: number; last: number | null }>`
    with u as (select campaign_id from updates where id = ${updateId}),
    page as (
      select p.id as supporter_id,
        (select s.language from signatures s join actions a on a.id = s.action_id
         where s.supporter_id = p.id and a.campaign_id = (select campaign_id from u) and s.status = 'confirmed' and s.updates_opt_in
         order by s.id desc limit 1) as language
      from supporters p
      where p.id > ${after} and p.erased_at is null
        -- "s.supporter_id > after" repeats the keyset inside, so the index scan starts there instead of at the first supporter.
        and exists (select 1 from signatures s join actions a on a.id = s.action_id
                    where s.supporter_id = p.id and s.supporter_id > ${after} and a.campaign_id = (select campaign_id from u)
                      and s.status = 'confirmed' and s.updates_opt_in)
        and not exists (select 1 from subscriptions x where x.supporter_id = p.id
                        and x.campaign_id = (select campaign_id from u) and x.unsubscribed_at is not null)
        and not exists (select 1 from suppressions x where x.supporter_id = p.id)
        and not exists (select 1 from suppressions x where x.email = p.email)
      order by p.id
      limit ${pageSize}
    ),
    ins as (
      insert into update_recipients (update_id, supporter_id, language)
      select ${updateId}, supporter_id, language from page
      on conflict (update_id, supporter_id) do nothing
    )
    select count(*)::int as n, max(supporter_id) as last from page
  `.execute(db);
  return { count: rows[0]?.n ?? 0, last: rows[0]?.last ?? after };
}

/** Ledger rows still waiting to be sent, in (after, upTo], by keyset (at most `limit`). */
export async function queuedRecipients(db: Executor, updateId: number, after: number, upTo: number, limit = 100_000): Promise<number[]> {
  const rows = await db.selectFrom("update_recipients").select("supporter_id")
    .where("update_id", "=", updateId).where("status", "=", "queued")
    .where("supporter_id", ">", after).where("supporter_id", "<=", upTo)
    .orderBy("supporter_id").limit(limit).execute();
  return rows.map((r) => r.supporter_id);
}

/** Records that every recipient is in the ledger, and how many there are. */
export async function finishFanOut(db: Executor, updateId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    update updates set fanned_out_at = coalesce(fanned_out_at, now()), updated_at = now(),
      audience_size = (select count(*) from update_recipients where update_id = ${updateId})
    where id = ${updateId} returning audience_size as n
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/** Marks the update sent once it is fanned out and no recipient is still queued. */
export async function completeIfDone(db: Executor, updateId: number): Promise<boolean> {
  const { numAffectedRows } = await sql`
    update updates set status = 'sent', sent_at = now(), updated_at = now()
    where id = ${updateId} and status = 'sending' and fanned_out_at is not null
      and not exists (select 1 from update_recipients where update_id = ${updateId} and status = 'queued')
  `.execute(db);
  return Number(numAffectedRows ?? 0) > 0;
}

/** Locks one ledger row for sending (a duplicate job waits, then finds it sent). */
export async function lockRecipient(trx: Executor, updateId: number, supporterId: number) {
  return trx.selectFrom("update_recipients as r").innerJoin("updates as u", "u.id", "r.update_id")
    .select(["r.status", "r.language", "u.campaign_id", "u.status as update_status"])
    .where("r.update_id", "=", updateId).where("r.supporter_id", "=", supporterId)
    .forUpdate("r").executeTakeFirst();
}

/** Settles one ledger row: sent, failed (with the reason) or skipped. */
export async function markRecipient(db: Executor, updateId: number, supporterId: number, status: Exclude<RecipientStatus, "queued">, error: string | null = null) {
  await db.updateTable("update_recipients")
    .set({ status, error, sent_at: status === "sent" ? sql<Date>`now()` : null })
    .where("update_id", "=", updateId).where("supporter_id", "=", supporterId).where("status", "=", "queued")
    .execute();
}

/** Scheduled updates that are due, and updates left mid-fan-out by a crashed worker. */
export async function updatesToFanOut(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom("updates").select("id")
    .where((eb) => eb.or([
      eb.and([eb("status", "=", "scheduled"), eb("scheduled_for", "<=", sql<Date>`now()`)]),
      eb.and([eb("status", "=", "sending"), eb("fanned_out_at", "is", null), eb("started_at", "<", sql<Date>`now() - interval '2 minutes'`)]),
    ]))
    .execute();
  return rows.map((r) => r.id);
}

/** Updates fanned out and still sending that have recipients queued in the ledger. */
export async function updatesWithQueuedRecipients(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom("updates as u").select("u.id")
    .where("u.status", "=", "sending").where("u.fanned_out_at", "is not", null)
    .where((eb) => eb.exists(eb.selectFrom("update_recipients as r").select("r.update_id").whereRef("r.update_id", "=", "u.id").where("r.status", "=", "queued")))
    .execute();
  return rows.map((r) => r.id);
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
    .select(["u.id", "u.status", "u.scheduled_for", "u.created_at", "u.sent_at", "u.audience_size"])
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
