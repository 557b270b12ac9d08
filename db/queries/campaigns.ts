import { sql } from "kysely";
import type { Executor } from "../client";
import type { ActionKind, Campaign, CampaignStatus } from "../schema";

export interface ActionSummary {
  id: number;
  slug: string;
  kind: ActionKind;
  goal: number;
  title: string;
  ask: string;
  count: number;
}

export interface CampaignSummary {
  id: number;
  slug: string;
  status: CampaignStatus;
  goal: number;
  imageUrl: string | null;
  language: string;
  title: string;
  summary: string;
  count: number;
}

export interface CampaignDetail extends CampaignSummary {
  story: string;
  languages: string[];
  actions: ActionSummary[];
}

/** Picks the row in `language`, falling back to the campaign's default language, then any. */
function pick<T extends { language: string }>(rows: T[], language: string, fallback: string): T | undefined {
  return rows.find((r) => r.language === language) ?? rows.find((r) => r.language === fallback) ?? rows[0];
}

/** Live campaigns for the home page, newest first, with their confirmed totals. */
export async function listLiveCampaigns(db: Executor, language: string): Promise<CampaignSummary[]> {
  const rows = await db
    .selectFrom("campaigns as c")
    .innerJoin("campaign_translations as t", "t.campaign_id", "c.id")
    .select(["c.id", "c.slug", "c.status", "c.goal", "c.image_url", "c.default_language", "t.language", "t.title", "t.summary"])
    .select((eb) =>
      eb
        .selectFrom("actions as a")
        .innerJoin("action_counters as ac", "ac.action_id", "a.id")
        .whereRef("a.campaign_id", "=", "c.id")
        .select(sql<number>`coalesce(sum(ac.confirmed), 0)::int8`.as("n"))
        .as("count"),
    )
    .where("c.status", "=", "live")
    .orderBy("c.launched_at", "desc")
    .orderBy("c.id", "desc")
    .execute();
  const byCampaign = new Map<number, typeof rows>();
  for (const row of rows) byCampaign.set(row.id, [...(byCampaign.get(row.id) ?? []), row]);
  return [...byCampaign.values()].map((group) => {
    const r = pick(group, language, group[0]!.default_language)!;
    return {
      id: r.id, slug: r.slug, status: r.status, goal: r.goal, imageUrl: r.image_url,
      language: r.language, title: r.title, summary: r.summary, count: Number(r.count ?? 0),
    };
  });
}

/** One campaign with its story and calls to action, or undefined. Drafts are not public. */
export async function getPublicCampaign(db: Executor, slug: string, language: string): Promise<CampaignDetail | undefined> {
  const campaign = await db
    .selectFrom("campaigns")
    .selectAll()
    .where("slug", "=", slug)
    .where("status", "in", ["live", "closed"])
    .executeTakeFirst();
  return campaign && campaignDetail(db, campaign, language);
}

/**
 * One campaign in the shape of the public page, whatever its status: drafts included, for the
 * workspace preview only (callers check the campaigner may open it).
 */
export async function getCampaignPreview(db: Executor, id: number, language: string): Promise<CampaignDetail | undefined> {
  const campaign = await db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
  return campaign && campaignDetail(db, campaign, language);
}

async function campaignDetail(db: Executor, campaign: Campaign, language: string): Promise<CampaignDetail | undefined> {
  const [translations, actionRows] = await Promise.all([
    db.selectFrom("campaign_translations").selectAll().where("campaign_id", "=", campaign.id).execute(),
    db
      .selectFrom("actions as a")
      .innerJoin("action_translations as t", "t.action_id", "a.id")
      .leftJoin("action_counters as ac", "ac.action_id", "a.id")
      .select(["a.id", "a.slug", "a.kind", "a.goal", "a.position", "t.language", "t.title", "t.ask"])
      .select(sql<number>`coalesce(ac.confirmed, 0)`.as("count"))
      .where("a.campaign_id", "=", campaign.id)
      .orderBy("a.position")
      .orderBy("a.id")
      .execute(),
  ]);
  const t = pick(translations, language, campaign.default_language);
  if (!t) return undefined;
  const actionIds = [...new Set(actionRows.map((a) => a.id))];
  const actions = actionIds.map((id) => {
    const a = pick(actionRows.filter((r) => r.id === id), language, campaign.default_language)!;
    return { id: a.id, slug: a.slug, kind: a.kind, goal: a.goal, title: a.title, ask: a.ask, count: Number(a.count) };
  });
  return {
    id: campaign.id, slug: campaign.slug, status: campaign.status, goal: campaign.goal, imageUrl: campaign.image_url,
    language: t.language, title: t.title, summary: t.summary, story: t.story,
    languages: translations.map((x) => x.language),
    count: actions.reduce((sum, a) => sum + a.count, 0),
    actions,
  };
}
