import { db } from "#db/client";
import { getPublicCampaign, type CampaignDetail } from "#db/queries/campaigns";
import { deliveredSummary } from "#db/queries/letters";
import { shownImageUrl } from "./image-hosts.server";
import { renderMarkdown } from "./markdown.server";
import { campaignRecord } from "./outcomes.server";
import { sharedRead } from "./public-cache.server";

// A story changes far less often than its page's data is read again: each text is rendered once.
const storyHtml = new Map<string, string>();
function storyToHtml(story: string): string {
  let html = storyHtml.get(story);
  if (html === undefined) {
    if (storyHtml.size >= 200) storyHtml.clear();
    storyHtml.set(story, (html = renderMarkdown(story)));
  }
  return html;
}

/** What the campaign page shows, built once for the public page and the workspace preview alike. */
export async function campaignPageData(campaign: CampaignDetail) {
  const { story, ...rest } = campaign;
  const [delivered, record] = await Promise.all([deliveredSummary(db(), campaign.id), campaignRecord(campaign.id)]);
  return { campaign: { ...rest, imageUrl: shownImageUrl(rest.imageUrl) }, storyHtml: storyToHtml(story), delivered, record };
}

export type CampaignPageData = Awaited<ReturnType<typeof campaignPageData>>;

/** The public page's data for `slug` in `language`, shared for PUBLIC_CACHE_MS; null when no live or closed campaign has it. */
export function publicCampaignPage(slug: string, language: string): Promise<CampaignPageData | null> {
  return sharedRead(`campaign-page:${slug}:${language}`, async () => {
    const campaign = await getPublicCampaign(db(), slug, language);
    return campaign ? campaignPageData(campaign) : null;
  });
}

/**
 * Everything the public page is rendered from, as one string: the page for `language` is the same
 * HTML (bar the nonce) whenever this is the same, so a kept copy need not be rendered again.
 */
export function pageVersion(data: CampaignPageData | null): string {
  return JSON.stringify(data);
}

/** The version of the public page of `slug` in `language` as its data stands now (shared per PUBLIC_CACHE_MS). */
export async function publicCampaignPageVersion(slug: string, language: string): Promise<string> {
  return pageVersion(await publicCampaignPage(slug, language));
}
