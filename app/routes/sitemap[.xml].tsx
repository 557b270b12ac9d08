import { db } from "#db/client";
import { env } from "#core/env";
import { listApiCampaigns } from "../lib/api.server";
import { sharedRead } from "../lib/public-cache.server";

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GET /sitemap.xml: every live campaign's page and its actions' pages. */
export async function loader() {
  const campaigns = await sharedRead("sitemap", () => listApiCampaigns(db(), "en"));
  const base = env().APP_URL;
  const urls = campaigns.flatMap((c) => [`${base}/campaigns/${c.slug}`, ...c.actions.map((a) => `${base}/campaigns/${c.slug}/${a.slug}`)]);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.map((u) => `  <url><loc>${xml(u)}</loc></url>`).join("\n")}\n</urlset>\n`;
  return new Response(body, { headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=600" } });
}
