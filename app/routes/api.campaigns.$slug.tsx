import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../../db/client";
import { getPublicCampaign } from "../../db/queries/campaigns";
import { isLanguage } from "../i18n";
import { publicJson } from "../lib/http.server";
import { toApi } from "../lib/api.server";

/** GET /api/campaigns/:slug: one campaign and its actions' confirmed counts. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = new URL(request.url).searchParams.get("lang");
  const campaign = await getPublicCampaign(db(), params.slug ?? "", isLanguage(lang) ? lang : "en");
  if (!campaign) return publicJson({ error: "campaign not found" }, { status: 404 });
  return publicJson(toApi(campaign));
}
