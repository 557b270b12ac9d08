import type { Executor } from "../client";

/** An action's title in `language`, falling back to any language it has. */
export async function actionTitle(db: Executor, actionId: number, language: string): Promise<string> {
  const rows = await db
    .selectFrom("action_translations")
    .select(["language", "title"])
    .where("action_id", "=", actionId)
    .execute();
  return (rows.find((r) => r.language === language) ?? rows.find((r) => r.language === "en") ?? rows[0])?.title ?? "";
}

export interface PublicAction {
  id: number;
  campaignId: number;
  campaignSlug: string;
  campaignStatus: string;
  slug: string;
  kind: string;
}

/** Resolves a public action by its campaign and action slugs; drafts are not public. */
export async function findPublicAction(db: Executor, campaignSlug: string, actionSlug: string): Promise<PublicAction | undefined> {
  const row = await db
    .selectFrom("actions as a")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["a.id", "a.slug", "a.kind", "c.id as campaign_id", "c.slug as campaign_slug", "c.status"])
    .where("c.slug", "=", campaignSlug)
    .where("a.slug", "=", actionSlug)
    .where("c.status", "in", ["live", "closed"])
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, campaignId: row.campaign_id, campaignSlug: row.campaign_slug, campaignStatus: row.status, slug: row.slug, kind: row.kind };
}
