import type { CampaignDetail } from "../../db/queries/campaigns";

/** The public shape of a campaign: no ids, no personal data. */
export function toApi(c: CampaignDetail) {
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
