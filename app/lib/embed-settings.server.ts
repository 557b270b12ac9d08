import { db } from "#db/client";
import { actionSlugsOf, embedOriginsOf, setEmbedOrigins } from "#db/queries/embeds";
import { env } from "#core/env";
import { parseEmbedOriginList } from "#core/embed-origins";
import type { EmbedSettingsView } from "../components/admin/embed-settings";

/** What the workspace's embed panel shows. */
export async function embedSettingsView(campaignId: number, campaignSlug: string): Promise<EmbedSettingsView> {
  const [origins, actions] = await Promise.all([embedOriginsOf(db(), campaignId), actionSlugsOf(db(), campaignId)]);
  return { origins, actions, campaignSlug, appUrl: env().APP_URL.replace(/\/$/, "") };
}

/** Saves the partner list (production takes https only); answers the problem to show next to the field, if any. */
export async function saveEmbedOrigins(campaignerId: number, campaignId: number, text: string): Promise<string | null> {
  const parsed = parseEmbedOriginList(text, env().NODE_ENV !== "production");
  if ("problem" in parsed) return parsed.problem;
  await db().transaction().execute((trx) => setEmbedOrigins(trx, campaignerId, campaignId, parsed.origins));
  return null;
}
