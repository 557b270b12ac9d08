import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { getPublicCampaign } from "#db/queries/campaigns";
import { isLanguage } from "../i18n";
import { requestLanguage } from "../i18n/language.server";
import { sharedRead } from "../lib/public-cache.server";
import { shareCardPng } from "../lib/share-card.server";

/** GET /campaigns/:slug/card.png?lang=: the campaign's link-preview card, rendered once per count bucket. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const asked = new URL(request.url).searchParams.get("lang");
  // Crawlers send neither the cookie nor a useful Accept-Language, so the page names the language.
  const language = isLanguage(asked) ? asked : requestLanguage(request);
  const campaign = slug.length <= 100 ? await sharedRead(`share-card:${slug}:${language}`, () => getPublicCampaign(db(), slug, language)) : undefined;
  if (!campaign) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const png = await shareCardPng({ campaignId: campaign.id, title: campaign.title, count: campaign.count, language });
  return new Response(new Uint8Array(png), {
    headers: { "Content-Type": "image/png", "Content-Length": String(png.length), "Cache-Control": "public, max-age=600, stale-while-revalidate=3600" },
  });
}
