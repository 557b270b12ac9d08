import { sql } from "kysely";
import type { Executor } from "../client";
import type { CampaignStatus } from "../schema";
import { recordAudit } from "./audit";
import type { SessionCampaigner } from "./campaigners";

/** One campaign as the workspace shows it: its row and its title in its default language. */
export async function getCampaignForWorkspace(db: Executor, id: number) {
  return db
    .selectFrom("campaigns as c")
    .leftJoin("campaign_translations as t", (j) => j.onRef("t.campaign_id", "=", "c.id").onRef("t.language", "=", "c.default_language"))
    .selectAll("c")
    .select(sql<string>`coalesce(t.title, c.slug)`.as("title"))
    .where("c.id", "=", id)
    .executeTakeFirst();
}

/** The campaigns a campaigner may open (every campaign for an admin), newest first. */
export async function listWorkspaceCampaigns(db: Executor, campaigner: SessionCampaigner) {
  let q = db
    .selectFrom("campaigns as c")
    .leftJoin("campaign_translations as t", (j) => j.onRef("t.campaign_id", "=", "c.id").onRef("t.language", "=", "c.default_language"))
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("actions as a")
          .leftJoin("action_counters as k", "k.action_id", "a.id")
          .select(["a.campaign_id", sql<number>`coalesce(sum(k.confirmed), 0)::int`.as("confirmed"), sql<number>`count(a.id)::int`.as("actions")])
          .groupBy("a.campaign_id")
          .as("n"),
      (j) => j.onRef("n.campaign_id", "=", "c.id"),
    )
    .select(["c.id", "c.slug", "c.status", "c.goal", "c.updated_at", sql<string>`coalesce(t.title, c.slug)`.as("title")])
    .select([sql<number>`coalesce(n.confirmed, 0)`.as("confirmed"), sql<number>`coalesce(n.actions, 0)`.as("actions")])
    .orderBy("c.id", "desc");
  if (campaigner.role !== "admin") {
    q = q.where((eb) =>
      eb.exists(eb.selectFrom("campaign_members as m").select("m.campaign_id").whereRef("m.campaign_id", "=", "c.id").where("m.campaigner_id", "=", campaigner.id)),
    );
  }
  return q.execute();
}

export interface CampaignWords {
  language: string;
  title: string;
  summary: string;
  story: string;
}

export interface CampaignFields {
  slug: string;
  goal: number;
  imageUrl: string | null;
  defaultLanguage: string;
  translations: CampaignWords[];
}

/** Whether Postgres refused a write because a unique key is taken (a race the form check lost). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "23505";
}

/** Whether another campaign already uses this slug. */
export async function isSlugTaken(db: Executor, slug: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom("campaigns").select("id").where("slug", "=", slug);
  if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

async function writeTranslations(db: Executor, campaignId: number, translations: CampaignWords[]) {
  const keep = translations.map((t) => t.language);
  let del = db.deleteFrom("campaign_translations").where("campaign_id", "=", campaignId);
  if (keep.length) del = del.where("language", "not in", keep);
  await del.execute();
  for (const t of translations) {
    await db
      .insertInto("campaign_translations")
      .values({ campaign_id: campaignId, ...t })
      .onConflict((oc) => oc.columns(["campaign_id", "language"]).doUpdateSet({ title: t.title, summary: t.summary, story: t.story }))
      .execute();
  }
}

/** Creates a draft campaign owned by its creator; call inside a transaction. */
export async function createCampaign(db: Executor, campaignerId: number, fields: CampaignFields): Promise<number> {
  const { id } = await db
    .insertInto("campaigns")
    .values({ slug: fields.slug, goal: fields.goal, image_url: fields.imageUrl, default_language: fields.defaultLanguage, created_by: campaignerId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await writeTranslations(db, id, fields.translations);
  await db.insertInto("campaign_members").values({ campaign_id: id, campaigner_id: campaignerId, role: "owner" }).execute();
  await recordAudit(db, { campaignerId, campaignId: id, action: "campaign.create", subjectType: "campaign", subjectId: id, details: { slug: fields.slug } });
  return id;
}

/** Saves a campaign's content; languages left out lose their words. Call inside a transaction. */
export async function updateCampaign(db: Executor, campaignerId: number, id: number, fields: CampaignFields): Promise<void> {
  await db
    .updateTable("campaigns")
    .set({ slug: fields.slug, goal: fields.goal, image_url: fields.imageUrl, default_language: fields.defaultLanguage, updated_at: sql`now()` })
    .where("id", "=", id)
    .execute();
  await writeTranslations(db, id, fields.translations);
  await recordAudit(db, {
    campaignerId, campaignId: id, action: "campaign.update", subjectType: "campaign", subjectId: id,
    details: { slug: fields.slug, goal: fields.goal, languages: fields.translations.map((t) => t.language) },
  });
}

/** A campaign's row, words per language and members, for its edit page. */
export async function getCampaignForEdit(db: Executor, id: number) {
  const campaign = await db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
  if (!campaign) return undefined;
  const [translations, members] = await Promise.all([
    db.selectFrom("campaign_translations").select(["language", "title", "summary", "story"]).where("campaign_id", "=", id).orderBy("language").execute(),
    listMembers(db, id),
  ]);
  return { campaign, translations, members };
}

/** Who may open a campaign, owner first. */
export async function listMembers(db: Executor, campaignId: number) {
  return db
    .selectFrom("campaign_members as m")
    .innerJoin("campaigners as c", "c.id", "m.campaigner_id")
    .select(["c.id", "c.name", "c.email", "m.role"])
    .where("m.campaign_id", "=", campaignId)
    .orderBy(sql`m.role = 'owner'`, "desc")
    .orderBy("c.name")
    .execute();
}

/** The lifecycle: each status and where it may go next. */
export const NEXT_STATUS: Record<CampaignStatus, CampaignStatus[]> = { draft: ["live"], live: ["closed"], closed: ["archived"], archived: [] };

/** Why a campaign cannot go live yet, or null when it can. */
export async function launchProblem(db: Executor, id: number): Promise<string | null> {
  const campaign = await db.selectFrom("campaigns").select("default_language").where("id", "=", id).executeTakeFirstOrThrow();
  const words = await db
    .selectFrom("campaign_translations")
    .select(["title", "summary"])
    .where("campaign_id", "=", id)
    .where("language", "=", campaign.default_language)
    .executeTakeFirst();
  if (!words?.title.trim() || !words.summary.trim()) return "Give the campaign a title and a summary in its default language before launching it.";
  const action = await db.selectFrom("actions").select("id").where("campaign_id", "=", id).limit(1).executeTakeFirst();
  if (!action) return "Add at least one call to action before launching the campaign.";
  return null;
}

/** Moves a campaign one step along its lifecycle; returns why not when the step is not allowed. Call inside a transaction. */
export async function changeStatus(db: Executor, campaignerId: number, id: number, to: CampaignStatus): Promise<string | null> {
  const row = await db.selectFrom("campaigns").select("status").where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
  if (!NEXT_STATUS[row.status].includes(to)) return `A ${row.status} campaign cannot become ${to}.`;
  if (to === "live") {
    const problem = await launchProblem(db, id);
    if (problem) return problem;
  }
  await db
    .updateTable("campaigns")
    .set({
      status: to,
      updated_at: sql`now()`,
      ...(to === "live" ? { launched_at: sql`coalesce(launched_at, now())` } : {}),
      ...(to === "closed" ? { closed_at: sql`now()` } : {}),
    })
    .where("id", "=", id)
    .execute();
  await recordAudit(db, { campaignerId, campaignId: id, action: "campaign.status", subjectType: "campaign", subjectId: id, details: { from: row.status, to } });
  return null;
}

/**
 * Copies a campaign as a new draft under `slug`: its words, calls to action (with their words and
 * officials), never its signatures. The copier owns the copy. Call inside a transaction.
 */
export async function duplicateCampaign(db: Executor, campaignerId: number, id: number, slug: string): Promise<number> {
  const source = await db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const translations = await db.selectFrom("campaign_translations").select(["language", "title", "summary", "story"]).where("campaign_id", "=", id).execute();
  const copyId = await createCampaign(db, campaignerId, {
    slug, goal: source.goal, imageUrl: source.image_url, defaultLanguage: source.default_language,
    translations: translations.map((t) => ({ ...t, title: `${t.title.slice(0, 193)} (copy)` })),
  });
  await db.updateTable("campaigns").set({ reply_to: source.reply_to }).where("id", "=", copyId).execute();
  const actions = await db.selectFrom("actions").selectAll().where("campaign_id", "=", id).orderBy("position").orderBy("id").execute();
  for (const a of actions) {
    const { id: actionId } = await db
      .insertInto("actions")
      .values({
        campaign_id: copyId, slug: a.slug, kind: a.kind, goal: a.goal, position: a.position, letter_editable: a.letter_editable,
        delivery_mode: a.delivery_mode, delivery_every_hours: a.delivery_every_hours, delivery_local_hour: a.delivery_local_hour, delivery_threshold: a.delivery_threshold,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("action_translations")
      .columns(["action_id", "language", "title", "ask", "letter_subject", "letter_body"])
      .expression((eb) =>
        eb.selectFrom("action_translations").select([sql<number>`${actionId}::int`.as("action_id"), "language", "title", "ask", "letter_subject", "letter_body"]).where("action_id", "=", a.id),
      )
      .execute();
    await db
      .insertInto("action_targets")
      .columns(["action_id", "target_id", "position"])
      .expression((eb) => eb.selectFrom("action_targets").select([sql<number>`${actionId}::int`.as("action_id"), "target_id", "position"]).where("action_id", "=", a.id))
      .execute();
    await db.insertInto("action_counters").values({ action_id: actionId }).onConflict((oc) => oc.doNothing()).execute();
  }
  await recordAudit(db, { campaignerId, campaignId: copyId, action: "campaign.duplicate", subjectType: "campaign", subjectId: copyId, details: { from: id } });
  return copyId;
}

/**
 * Gives another campaigner (by email) editor access, when the address belongs to an active account
 * that is not on the campaign yet. Call inside a transaction. It answers nothing: the one who shares
 * learns the same whether or not the address has an account.
 */
export async function shareCampaign(db: Executor, campaignerId: number, campaignId: number, email: string): Promise<void> {
  const added = await db
    .insertInto("campaign_members")
    .columns(["campaign_id", "campaigner_id", "role"])
    .expression((eb) =>
      eb
        .selectFrom("campaigners")
        .select([sql<number>`${campaignId}::int`.as("campaign_id"), "id", sql<"editor">`'editor'`.as("role")])
        .where("email", "=", email.trim().toLowerCase())
        .where("disabled_at", "is", null),
    )
    .onConflict((oc) => oc.doNothing())
    .returning("campaigner_id")
    .executeTakeFirst();
  if (added) await recordAudit(db, { campaignerId, campaignId, action: "campaign.share", subjectType: "campaigner", subjectId: added.campaigner_id });
}

/** Takes an editor off a campaign (never its owner); returns why not, or null. Call inside a transaction. */
export async function unshareCampaign(db: Executor, campaignerId: number, campaignId: number, otherId: number): Promise<string | null> {
  const removed = await db
    .deleteFrom("campaign_members")
    .where("campaign_id", "=", campaignId)
    .where("campaigner_id", "=", otherId)
    .where("role", "=", "editor")
    .returning("campaigner_id")
    .executeTakeFirst();
  if (!removed) return "Only editors can be taken off a campaign; its owner stays.";
  await recordAudit(db, { campaignerId, campaignId, action: "campaign.unshare", subjectType: "campaigner", subjectId: otherId });
  return null;
}

/** Whether the campaigner owns the campaign (owners and admins may share it). */
export async function isOwner(db: Executor, campaignerId: number, campaignId: number): Promise<boolean> {
  const row = await db
    .selectFrom("campaign_members")
    .select("role")
    .where("campaign_id", "=", campaignId)
    .where("campaigner_id", "=", campaignerId)
    .executeTakeFirst();
  return row?.role === "owner";
}
