import { json } from "@remix-run/node";
import { localPath } from "./local-path";

/** Throws a 404 that the shared error boundary renders as the not-found page. */
export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

/** Only local paths are followed after a redirect, never another site (see `localPath`). */
export function safeLocalPath(value: string | null | undefined, fallback = "/"): string {
  return localPath(value, fallback);
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
