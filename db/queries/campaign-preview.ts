import { sql } from "kysely";
import type { Executor } from "../client";
import type { CampaignDetail } from "./campaigns";

/**
 * One campaign in the shape of the public page, whatever its status: drafts included, for the
 * workspace preview only (callers check the campaigner may open it).
 */
export async function getCampaignPreview(db: Executor, id: number, language: string): Promise<CampaignDetail | undefined> {
  const campaign = await db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
  if (!campaign) return undefined;
  const [translations, actionRows] = await Promise.all([
    db.selectFrom("campaign_translations").selectAll().where("campaign_id", "=", id).execute(),
    db
      .selectFrom("actions as a")
      .innerJoin("action_translations as t", "t.action_id", "a.id")
      .leftJoin("action_counters as ac", "ac.action_id", "a.id")
      .select(["a.id", "a.slug", "a.kind", "a.goal", "t.language", "t.title", "t.ask"])
      .select(sql<number>`coalesce(ac.confirmed, 0)`.as("count"))
      .where("a.campaign_id", "=", id)
      .orderBy("a.position")
      .orderBy("a.id")
      .execute(),
  ]);
  const pick = <T extends { language: string }>(rows: T[]) =>
    rows.find((r) => r.language === language) ?? rows.find((r) => r.language === campaign.default_language) ?? rows[0];
  const t = pick(translations);
  if (!t) return undefined;
  const actions = [...new Set(actionRows.map((a) => a.id))].map((actionId) => {
    const a = pick(actionRows.filter((r) => r.id === actionId))!;
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
