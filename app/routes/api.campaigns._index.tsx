import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { isLanguage } from "../i18n";
import { listApiCampaigns } from "../lib/api.server";
import { publicJson } from "../lib/http.server";
import { sharedRead } from "../lib/public-cache.server";

/** GET /api/campaigns: live campaigns with each action's confirmed count. */
export async function loader({ request }: LoaderFunctionArgs) {
  const lang = new URL(request.url).searchParams.get("lang");
  const language = isLanguage(lang) ? lang : "en";
  return publicJson({ campaigns: await sharedRead(`api-campaigns:${language}`, () => listApiCampaigns(db(), language)) });
}
