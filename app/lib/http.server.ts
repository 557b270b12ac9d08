import { json } from "@remix-run/node";

/** Throws a 404 that the shared error boundary renders as the not-found page. */
export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

/** Only local paths are followed after a redirect, never another site. */
export function safeLocalPath(value: string | null | undefined, fallback = "/"): string {
  if (!value || !value.startsWith("/")) return fallback;
  // Read it as a browser will (dropping tabs and line breaks, "\" as "/"): "/\t/evil.example" is "//evil.example".
  const base = "http://local.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  return url.origin === base ? url.pathname + url.search + url.hash : fallback;
}

/** JSON for the public read API: open CORS and a short shared cache. */
export function publicJson(data: unknown, init: { status?: number; maxAge?: number } = {}) {
  return json(data, {
    status: init.status ?? 200,
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": `public, max-age=${init.maxAge ?? 5}, stale-while-revalidate=30`,
    },
  });
}
