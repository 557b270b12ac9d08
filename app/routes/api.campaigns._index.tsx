import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../../db/client";
import { getPublicCampaign, listLiveCampaigns } from "../../db/queries/campaigns";
import { isLanguage } from "../i18n";
import { toApi } from "../lib/api.server";
import { publicJson } from "../lib/http.server";

/** GET /api/campaigns: live campaigns with each action's confirmed count. */
export async function loader({ request }: LoaderFunctionArgs) {
  const lang = new URL(request.url).searchParams.get("lang");
  const language = isLanguage(lang) ? lang : "en";
  const live = await listLiveCampaigns(db(), language);
  const campaigns = await Promise.all(live.map((c) => getPublicCampaign(db(), c.slug, language)));
  return publicJson({ campaigns: campaigns.filter((c) => c !== undefined).map(toApi) });
}

