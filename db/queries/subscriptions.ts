import { sql } from "kysely";
import type { DB, Executor } from "../client";
import type { SuppressionReason } from "../schema";
import { isHashSuppressed } from "./mail-events";

export interface SubscriptionState {
  campaignTitle: string;
  language: string;
  /** Unsubscribed from this campaign. */
  unsubscribed: boolean;
  /** Left every campaign. */
  leftAll: boolean;
}

/** What the unsubscribe page shows for a supporter and a campaign; undefined when either is gone. */
export async function subscriptionState(db: Executor, supporterId: number, campaignId: number, language: string): Promise<SubscriptionState | undefined> {
  const row = await db
    .selectFrom("supporters as p")
    .innerJoin("campaigns as c", (j) => j.on("c.id", "=", campaignId))
    .leftJoin("subscriptions as s", (j) => j.onRef("s.supporter_id", "=", "p.id").on("s.campaign_id", "=", campaignId))
    .select(["p.language", "c.slug", "c.default_language", "s.unsubscribed_at"])
    .select((eb) => [
      eb.selectFrom("campaign_translations").select("title").whereRef("campaign_id", "=", "c.id")
        .orderBy(sql`language = ${language}`, "desc").orderBy(sql`language = c.default_language`, "desc").limit(1).as("title"),
      eb.exists(eb.selectFrom("suppressions").select("id").whereRef("supporter_id", "=", "p.id").where("reason", "=", "unsubscribed")).as("left_all"),
    ])
    .where("p.id", "=", supporterId)
    .where("p.erased_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  return { campaignTitle: row.title ?? row.slug, language: row.language, unsubscribed: row.unsubscribed_at !== null, leftAll: Boolean(row.left_all) };
}

/** Withdraws the supporter's 'updates' consents: for one campaign, or for all of them. */
async function withdrawConsents(trx: Executor, supporterId: number, campaignId: number | null) {
  let q = trx.updateTable("consents").set({ withdrawn_at: sql`now()` })
    .where("supporter_id", "=", supporterId).where("kind", "=", "updates").where("withdrawn_at", "is", null);
  if (campaignId !== null) q = q.where("campaign_id", "=", campaignId);
  await q.execute();
}

/** Stops a campaign's updates to a supporter at once; doing it twice changes nothing. */
export async function unsubscribe(db: DB, supporterId: number, campaignId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("subscriptions").values({ supporter_id: supporterId, campaign_id: campaignId, unsubscribed_at: sql<Date>`now()` })
      .onConflict((oc) => oc.columns(["supporter_id", "campaign_id"]).doUpdateSet({
        unsubscribed_at: sql<Date>`coalesce(subscriptions.unsubscribed_at, now())`, updated_at: sql<Date>`now()`,
      }))
      .execute();
    await withdrawConsents(trx, supporterId, campaignId);
  });
}

/** Stops every campaign's updates to a supporter (a suppression by supporter). */
export async function leaveAllCampaigns(db: DB, supporterId: number, campaignId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("suppressions").values({ supporter_id: supporterId, reason: "unsubscribed", detail: `left every campaign from campaign ${campaignId}` })
      .onConflict((oc) => oc.columns(["supporter_id", "reason"]).where("supporter_id", "is not", null).doNothing())
      .execute();
    await withdrawConsents(trx, supporterId, null);
  });
}

/** The supporter asks for a campaign's updates again: lifts their unsubscribe and their "leave all", and records the consent. */
export async function resubscribe(db: DB, supporterId: number, campaignId: number, wording: string, language: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("subscriptions").set({ unsubscribed_at: null, updated_at: sql<Date>`now()` })
      .where("supporter_id", "=", supporterId).where("campaign_id", "=", campaignId).execute();
    await trx.deleteFrom("suppressions").where("supporter_id", "=", supporterId).where("reason", "=", "unsubscribed").execute();
    const active = await trx.selectFrom("consents").select("id").where("supporter_id", "=", supporterId)
      .where("campaign_id", "=", campaignId).where("kind", "=", "updates").where("withdrawn_at", "is", null).executeTakeFirst();
    if (!active) {
      await trx.insertInto("consents").values({
        supporter_id: supporterId, campaign_id: campaignId, kind: "updates", wording, language, source: "unsubscribe-page",
      }).execute();
    }
  });
}

/** Never mail updates to this address again (hard bounce, complaint). */
export async function suppressAddress(db: Executor, email: string, reason: SuppressionReason, detail: string | null = null): Promise<void> {
  await db.insertInto("suppressions").values({ email: email.toLowerCase(), reason, detail })
    .onConflict((oc) => oc.columns(["email", "reason"]).where("email", "is not", null).doNothing())
    .execute();
}

/** Whether a supporter may be mailed a campaign's updates right now: not erased, subscribed, not suppressed. */
export async function mayMailUpdates(db: Executor, supporterId: number, campaignId: number): Promise<{ email: string } | undefined> {
  const found = await db
    .selectFrom("supporters as p")
    .select("p.email")
    .where("p.id", "=", supporterId)
    .where("p.erased_at", "is", null)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom("subscriptions").select("supporter_id").whereRef("supporter_id", "=", "p.id")
        .where("campaign_id", "=", campaignId).where("unsubscribed_at", "is not", null),
    )))
    .where(({ not, exists, selectFrom, or, eb }) => not(exists(
      selectFrom("suppressions as x").select("x.id").where((w) => or([w("x.supporter_id", "=", eb.ref("p.id")), w("x.email", "=", eb.ref("p.email"))])),
    )))
    .executeTakeFirst();
  // An address suppressed before an erasure is remembered only by its keyed hash.
  return found && !(await isHashSuppressed(db, found.email)) ? found : undefined;
}
