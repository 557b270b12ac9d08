import { sql } from "kysely";
import { db as defaultDb, type Executor } from "#db/client";
import { getPublicCampaign, type CampaignDetail } from "#db/queries/campaigns";
import { isLanguage } from "../i18n";
import { campaignRecord, recordJson } from "./outcomes.server";
import { keptRead, sharedRead } from "./public-cache.server";

export type ApiCampaign = ReturnType<typeof toApi>;

/** The public shape of a campaign: no ids, no personal data. */
export function toApi(c: Pick<CampaignDetail, "slug" | "status" | "language" | "title" | "summary" | "goal" | "count"> & {
  actions: Pick<CampaignDetail["actions"][number], "slug" | "kind" | "title" | "goal" | "count">[];
}) {
  return {
    slug: c.slug,
    status: c.status,
    language: c.language,
    title: c.title,
    summary: c.summary,
    goal: c.goal,
    count: c.count,
    actions: c.actions.map((a) => ({ slug: a.slug, kind: a.kind, title: a.title, goal: a.goal, count: a.count })),
  };
}

/** A finished public JSON answer: status, headers and the exact body bytes. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const API_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "public, max-age=5, stale-while-revalidate=30",
};

const apiKey = (slug: string, lang: string | null) => `api-campaign:${slug}:${isLanguage(lang) ? lang : "en"}`;

/**
 * GET /api/campaigns/:slug answered once per key per PUBLIC_CACHE_MS, body already serialised:
 * the Remix route, the lean Express path in server/web.ts and the hot read path all send exactly this.
 */
export function campaignApiAnswer(slug: string, lang: string | null): Promise<ApiAnswer> {
  return sharedRead(apiKey(slug, lang), () => readApiAnswer(slug, lang));
}

async function readApiAnswer(slug: string, lang: string | null): Promise<ApiAnswer> {
  const language = isLanguage(lang) ? lang : "en";
  const found = await getPublicCampaign(defaultDb(), slug, language);
  return found
    ? { status: 200, headers: API_HEADERS, body: JSON.stringify({ ...toApi(found), ...recordJson(await campaignRecord(found.id), language) }) }
    : { status: 404, headers: API_HEADERS, body: JSON.stringify({ error: "campaign not found" }) };
}

/**
 * The answer `campaignApiAnswer` can give at once from this process's cache (just expired: the kept
 * one, while it is read again), or undefined when it must be read.
 */
export function cachedCampaignApiAnswer(slug: string, lang: string | null): ApiAnswer | undefined {
  return keptRead(apiKey(slug, lang), () => readApiAnswer(slug, lang));
}

function pick<T extends { language: string }>(rows: T[], language: string, fallback: string): T | undefined {
  return rows.find((r) => r.language === language) ?? rows.find((r) => r.language === fallback) ?? rows[0];
}

/**
 * Every live campaign in the public API shape, newest first: two queries whatever the number of
 * campaigns (one for campaigns, one for all their actions and counters), not two per campaign.
 */
export async function listApiCampaigns(db: Executor, language: string): Promise<ApiCampaign[]> {
  const [campaignRows, actionRows] = await Promise.all([
    db
      .selectFrom("campaigns as c")
      .innerJoin("campaign_translations as t", "t.campaign_id", "c.id")
      .select(["c.id", "c.slug", "c.status", "c.goal", "c.default_language", "t.language", "t.title", "t.summary"])
      .where("c.status", "=", "live")
      .orderBy("c.launched_at", "desc")
      .orderBy("c.id", "desc")
      .execute(),
    db
      .selectFrom("actions as a")
      .innerJoin("campaigns as c", "c.id", "a.campaign_id")
      .innerJoin("action_translations as t", "t.action_id", "a.id")
      .leftJoin("action_counters as ac", "ac.action_id", "a.id")
      .select(["a.id", "a.campaign_id", "a.slug", "a.kind", "a.goal", "c.default_language", "t.language", "t.title"])
      .select(sql<number>`coalesce(ac.confirmed, 0)`.as("count"))
      .where("c.status", "=", "live")
      .orderBy("a.position")
      .orderBy("a.id")
      .execute(),
  ]);
  const group = <T, K>(rows: T[], key: (r: T) => K) => {
    const map = new Map<K, T[]>();
    for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
    return map;
  };
  const actionsByCampaign = group(actionRows, (r) => r.campaign_id);
  return [...group(campaignRows, (r) => r.id).values()].map((rows) => {
    const c = pick(rows, language, rows[0]!.default_language)!;
    const actions = [...group(actionsByCampaign.get(c.id) ?? [], (r) => r.id).values()].map((translations) => {
      const a = pick(translations, language, translations[0]!.default_language)!;
      return { slug: a.slug, kind: a.kind, title: a.title, goal: a.goal, count: Number(a.count) };
    });
    return toApi({ ...c, count: actions.reduce((sum, a) => sum + a.count, 0), actions });
  });
}
