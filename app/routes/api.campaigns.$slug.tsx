import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../../db/client";
import { getPublicCampaign } from "../../db/queries/campaigns";
import { isLanguage } from "../i18n";
import { publicJson } from "../lib/http.server";
import { toApi } from "../lib/api.server";
import { sharedRead } from "../lib/public-cache.server";

/** GET /api/campaigns/:slug: one campaign and its actions' confirmed counts. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = new URL(request.url).searchParams.get("lang");
  const slug = params.slug ?? "";
  const language = isLanguage(lang) ? lang : "en";
  const campaign = await sharedRead(`api-campaign:${slug}:${language}`, async () => {
    const found = await getPublicCampaign(db(), slug, language);
    return found ? toApi(found) : null;
  });
  if (!campaign) return publicJson({ error: "campaign not found" }, { status: 404 });
  return publicJson(campaign);
}
