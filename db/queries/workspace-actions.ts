import { sql } from "kysely";
import type { Executor } from "../client";
import type { ActionKind, DeliveryMode } from "../schema";
import { recordAudit } from "./audit";

export interface ActionWords {
  language: string;
  title: string;
  ask: string;
  letter_subject: string | null;
  letter_body: string | null;
}

export interface ActionFields {
  kind: ActionKind;
  slug: string;
  goal: number;
  letterEditable: boolean;
  targetIds: number[];
  deliveryMode: DeliveryMode;
  deliveryEveryHours: number;
  deliveryLocalHour: number;
  deliveryThreshold: number;
  translations: ActionWords[];
}

/** A campaign's calls to action in order, titled in the campaign's default language, with confirmed totals. */
export async function listCampaignActions(db: Executor, campaignId: number) {
  return db
    .selectFrom("actions as a")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .leftJoin("action_translations as t", (j) => j.onRef("t.action_id", "=", "a.id").onRef("t.language", "=", "c.default_language"))
    .leftJoin("action_counters as k", "k.action_id", "a.id")
    .select(["a.id", "a.slug", "a.kind", "a.goal", "a.position", "a.delivery_mode"])
    .select([sql<string>`coalesce(t.title, a.slug)`.as("title"), sql<number>`coalesce(k.confirmed, 0)::int`.as("confirmed")])
    .where("a.campaign_id", "=", campaignId)
    .orderBy("a.position")
    .orderBy("a.id")
    .execute();
}

/** One action of a campaign with its words per language and its officials, or undefined. */
export async function getActionForEdit(db: Executor, campaignId: number, actionId: number) {
  const action = await db.selectFrom("actions").selectAll().where("id", "=", actionId).where("campaign_id", "=", campaignId).executeTakeFirst();
  if (!action) return undefined;
  const [translations, targets, signed] = await Promise.all([
    db.selectFrom("action_translations").select(["language", "title", "ask", "letter_subject", "letter_body"]).where("action_id", "=", actionId).execute(),
    db.selectFrom("action_targets").select("target_id").where("action_id", "=", actionId).orderBy("position").execute(),
    hasSignatures(db, actionId),
  ]);
  return { action, translations, targetIds: targets.map((t) => t.target_id), hasSignatures: signed };
}

/** Whether anyone has signed the action (its kind is then fixed). */
export async function hasSignatures(db: Executor, actionId: number): Promise<boolean> {
  const row = await db.selectFrom("signatures").select("id").where("action_id", "=", actionId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Whether another action of the campaign already uses this slug. */
export async function isActionSlugTaken(db: Executor, campaignId: number, slug: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom("actions").select("id").where("campaign_id", "=", campaignId).where("slug", "=", slug);
  if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Which of these official ids do not exist. */
export async function missingTargets(db: Executor, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = await db.selectFrom("targets").select("id").where("id", "in", ids).execute();
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}

const columns = (f: ActionFields) => ({
  kind: f.kind, slug: f.slug, goal: f.goal, letter_editable: f.letterEditable, delivery_mode: f.deliveryMode,
  delivery_every_hours: f.deliveryEveryHours, delivery_local_hour: f.deliveryLocalHour, delivery_threshold: f.deliveryThreshold,
});

async function writeWordsAndTargets(db: Executor, actionId: number, f: ActionFields) {
  await db.deleteFrom("action_translations").where("action_id", "=", actionId).execute();
  if (f.translations.length) await db.insertInto("action_translations").values(f.translations.map((t) => ({ action_id: actionId, ...t }))).execute();
  await db.deleteFrom("action_targets").where("action_id", "=", actionId).execute();
  const targetIds = f.kind === "letter" ? [...new Set(f.targetIds)] : [];
  if (targetIds.length) await db.insertInto("action_targets").values(targetIds.map((target_id, position) => ({ action_id: actionId, target_id, position }))).execute();
}

/** Adds a call to action at the end of the campaign's list; call inside a transaction. */
export async function createAction(db: Executor, campaignerId: number, campaignId: number, f: ActionFields): Promise<number> {
  const { next } = await db
    .selectFrom("actions")
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as("next"))
    .where("campaign_id", "=", campaignId)
    .executeTakeFirstOrThrow();
  const { id } = await db.insertInto("actions").values({ campaign_id: campaignId, position: next, ...columns(f) }).returning("id").executeTakeFirstOrThrow();
  await writeWordsAndTargets(db, id, f);
  await db.insertInto("action_counters").values({ action_id: id }).onConflict((oc) => oc.doNothing()).execute();
  await recordAudit(db, { campaignerId, campaignId, action: "action.create", subjectType: "action", subjectId: id, details: { slug: f.slug, kind: f.kind } });
  return id;
}

/** Saves a call to action; call inside a transaction. */
export async function updateAction(db: Executor, campaignerId: number, campaignId: number, actionId: number, f: ActionFields): Promise<void> {
  await db.updateTable("actions").set(columns(f)).where("id", "=", actionId).where("campaign_id", "=", campaignId).execute();
  await writeWordsAndTargets(db, actionId, f);
  await recordAudit(db, {
    campaignerId, campaignId, action: "action.update", subjectType: "action", subjectId: actionId,
    details: { slug: f.slug, kind: f.kind, deliveryMode: f.deliveryMode, targets: f.targetIds, languages: f.translations.map((t) => t.language) },
  });
}

/** Swaps an action with its neighbour above or below; false when it is already at that end. Call inside a transaction. */
export async function moveAction(db: Executor, campaignerId: number, campaignId: number, actionId: number, direction: "up" | "down"): Promise<boolean> {
  const ids = (await db.selectFrom("actions").select("id").where("campaign_id", "=", campaignId).orderBy("position").orderBy("id").forUpdate().execute()).map((r) => r.id);
  const at = ids.indexOf(actionId);
  const to = direction === "up" ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= ids.length) return false;
  [ids[at], ids[to]] = [ids[to]!, ids[at]!];
  await sql`update actions a set position = o.position::int from unnest(${ids}::int[]) with ordinality as o(id, position) where a.id = o.id`.execute(db);
  await recordAudit(db, { campaignerId, campaignId, action: "action.move", subjectType: "action", subjectId: actionId, details: { direction } });
  return true;
}

/** What a letter preview needs: the action's words in a language (or its campaign's default) and the campaign's title. */
export async function letterTemplate(db: Executor, campaignId: number, actionId: number, language: string) {
  const campaign = await db.selectFrom("campaigns").select("default_language").where("id", "=", campaignId).executeTakeFirst();
  if (!campaign) return undefined;
  const rows = await db.selectFrom("action_translations").selectAll().where("action_id", "=", actionId).execute();
  const words = rows.find((r) => r.language === language) ?? rows.find((r) => r.language === campaign.default_language) ?? rows[0];
  const titles = await db.selectFrom("campaign_translations").select(["language", "title"]).where("campaign_id", "=", campaignId).execute();
  const title = titles.find((t) => t.language === words?.language) ?? titles.find((t) => t.language === campaign.default_language) ?? titles[0];
  return words ? { words, campaignTitle: title?.title ?? "" } : undefined;
}
