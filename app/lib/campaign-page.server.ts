import { db } from "#db/client";
import type { CampaignDetail } from "#db/queries/campaigns";
import { deliveredSummary } from "#db/queries/letters";
import { shownImageUrl } from "./image-hosts.server";
import { renderMarkdown } from "./markdown.server";
import { campaignRecord } from "./outcomes.server";

/** What the campaign page shows, built once for the public page and the workspace preview alike. */
export async function campaignPageData(campaign: CampaignDetail) {
  const { story, ...rest } = campaign;
  const [delivered, record] = await Promise.all([deliveredSummary(db(), campaign.id), campaignRecord(campaign.id)]);
  return { campaign: { ...rest, imageUrl: shownImageUrl(rest.imageUrl) }, storyHtml: renderMarkdown(story), delivered, record };
}
