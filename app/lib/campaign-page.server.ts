import { db } from "#db/client";
import type { CampaignDetail } from "#db/queries/campaigns";
import { deliveredSummary } from "#db/queries/letters";
import { publishedReplies } from "#db/queries/replies";
import { shownImageUrl } from "./image-hosts.server";
import { renderMarkdown } from "./markdown.server";

/** What the campaign page shows, built once for the public page and the workspace preview alike. */
export async function campaignPageData(campaign: CampaignDetail) {
  const { story, ...rest } = campaign;
  const replies = (await publishedReplies(db(), campaign.id)).map((r) => ({
    id: r.id, official: r.official, at: r.published_at!.toISOString(), text: r.published_text ?? "",
  }));
  return { campaign: { ...rest, imageUrl: shownImageUrl(rest.imageUrl) }, storyHtml: renderMarkdown(story), delivered: await deliveredSummary(db(), campaign.id), replies };
}
