import { env } from "#core/env";

/** GET /robots.txt: campaigns are for finding; the workspace, the API and personal links are not. */
export function loader() {
  const body = [
    "User-agent: *",
    "Disallow: /admin",
    "Disallow: /api/",
    "Disallow: /confirm/",
    "Disallow: /unsubscribe/",
    "Disallow: /letters/",
    "Disallow: /privacy/my-data",
    "Allow: /",
    `Sitemap: ${env().APP_URL}/sitemap.xml`,
    "",
  ].join("\n");
  return new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
