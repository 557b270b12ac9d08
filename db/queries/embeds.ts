import { sql } from "kysely";
import type { Executor } from "../client";
import { recordAudit } from "./audit";

/** The partner origins a public campaign (by slug) lets frame its actions; undefined when there is no such campaign. */
export async function embedOriginsBySlug(db: Executor, slug: string): Promise<string[] | undefined> {
  const row = await db.selectFrom("campaigns").select("embed_origins").where("slug", "=", slug).where("status", "in", ["live", "closed"]).executeTakeFirst();
  return row?.embed_origins;
}

/** A campaign's partner origins, for its workspace. */
export async function embedOriginsOf(db: Executor, campaignId: number): Promise<string[]> {
  const row = await db.selectFrom("campaigns").select("embed_origins").where("id", "=", campaignId).executeTakeFirst();
  return row?.embed_origins ?? [];
}

/** Replaces the list, with an audit row naming what was added and removed. */
export async function setEmbedOrigins(db: Executor, campaignerId: number, campaignId: number, origins: string[]): Promise<void> {
  const before = await db.selectFrom("campaigns").select("embed_origins").where("id", "=", campaignId).forUpdate().executeTakeFirstOrThrow();
  await db.updateTable("campaigns").set({ embed_origins: origins, updated_at: sql`now()` }).where("id", "=", campaignId).execute();
  await recordAudit(db, {
    campaignerId, campaignId, action: "campaign.embeds", subjectType: "campaign", subjectId: campaignId,
    details: { added: origins.filter((o) => !before.embed_origins.includes(o)), removed: before.embed_origins.filter((o) => !origins.includes(o)) },
  });
}

/** The address names of a campaign's actions, in their order, for the embed snippets. */
export async function actionSlugsOf(db: Executor, campaignId: number): Promise<string[]> {
  const rows = await db.selectFrom("actions").select("slug").where("campaign_id", "=", campaignId).orderBy("position").orderBy("id").execute();
  return rows.map((r) => r.slug);
}
