import { sql } from "kysely";
import type { Executor } from "../client";
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
