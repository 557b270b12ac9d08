import { json } from "@remix-run/node";
import { db } from "#db/client";
import { embedOriginsBySlug } from "#db/queries/embeds";
import { FRAME_ANCESTORS_NOTE } from "#server/http/security-headers";
import { embedSource } from "#core/embed-origins";
import { notFound } from "./http.server";

/** What an embeddable page knows about its frame: the allowed list, and the partner it is shown on (if known and allowed). */
export interface EmbedContext {
  origins: string[];
  partner: string | null;
}

/**
 * The partner page framing this request: `?origin=` when it is in the campaign's list, else the
 * Referer's origin when that is. Anything else is no partner: the page still renders, framed only
 * where the list allows, and its signatures carry no embed source.
 */
export async function embedContext(request: Request, slug: string | undefined): Promise<EmbedContext> {
  const origins = await embedOriginsBySlug(db(), slug ?? "");
  if (!origins) notFound();
  const url = new URL(request.url);
  const candidates = [url.searchParams.get("origin"), originOf(request.headers.get("referer"))];
  const partner = candidates.find((c): c is string => typeof c === "string" && origins.includes(c)) ?? null;
  return { origins, partner };
}

function originOf(value: string | null): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** The source a signature made in the frame records. */
export function embedChannel(embed: EmbedContext): string | undefined {
  return embed.partner ? embedSource(embed.partner) : undefined;
}

/** Loader data with the frame policy: exactly the campaign's partners may frame it, or nobody. */
export function embedJson<T>(data: T, embed: EmbedContext) {
  const headers = new Headers();
  if (embed.origins.length > 0) headers.set(FRAME_ANCESTORS_NOTE, embed.origins.join(" "));
  else headers.set("X-Frame-Options", "DENY");
  return json(data, { headers });
}

/** Carries the frame policy from the loader to the document (the note is turned into the CSP on render). */
export function embedHeaders({ loaderHeaders, errorHeaders }: { loaderHeaders: Headers; errorHeaders?: Headers }): Headers {
  const headers = new Headers();
  const retryAfter = errorHeaders?.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  for (const name of [FRAME_ANCESTORS_NOTE, "X-Frame-Options"]) {
    const value = loaderHeaders.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
}
