import type { AppLoadContext } from "@remix-run/node";
import type { Request } from "express";
import { handleSign } from "#app/lib/sign.server";
import { remixUrl } from "./remix-handler";

// The sign form's POST without Express's middleware chain or Remix's per-request work (route
// matching rebuilt per request, Request/Response objects, the render pipeline), which profiles
// under the sign load found to be most of a web process's own CPU. The request is run through the
// very function the Remix action calls (`handleSign`: same schema, same limits, holds and
// recording, the answer only after the commit). When that ends in the "check your email" redirect,
// it is sent straight away (./fast-posts.ts); any other outcome (a form error, a closed campaign, a
// 404, a 429, a database error) is handed to Remix with the outcome attached, so Remix renders
// exactly the page it always did without running anything (or counting any limit) a second time.
// docs/decisions/sign-fast-path.md explains the choice.

const SIGN_PATH = /^\/campaigns\/([a-z0-9-]{1,100})\/([a-z0-9-]{1,100})$/;
/** The route Remix's client names when JavaScript submits the form (`?_data=`). */
export const SIGN_ROUTE_ID = "routes/campaigns.$slug.$action._index";

/** What `handleSign` ended with for this request, for Remix to replay instead of running it again. */
export type SignOutcome = { returned: globalThis.Response } | { thrown: unknown };

export interface SignPost { slug: string; action: string; data: boolean }

/** Only the query strings the form itself posts with: `?index`, a share `source`, and the data request of this route. */
function plainFormQuery(query: string | undefined): { data: boolean } | null {
  if (query === undefined) return { data: false };
  let data = false;
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === "_data" && value === SIGN_ROUTE_ID && !data) data = true;
    else if (!(key === "index" && value === "") && key !== "source") return null;
  }
  return { data };
}

/** The sign POST a URL names (`/campaigns/:slug/:action` with a query the form sends), or null. */
export function signPost(url: string): SignPost | null {
  const at = url.indexOf("?");
  const path = SIGN_PATH.exec(at < 0 ? url : url.slice(0, at));
  const query = path ? plainFormQuery(at < 0 ? undefined : url.slice(at + 1)) : null;
  return path && query ? { slug: path[1]!, action: path[2]!, data: query.data } : null;
}

/** The few parts of a Fetch Request `handleSign` reads, over the request and the body already read. */
function formRequest(req: Request, body: string): globalThis.Request {
  const headers = {
    get(name: string): string | null {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    has(name: string): boolean {
      return req.headers[name.toLowerCase()] !== undefined;
    },
  };
  return {
    method: "POST", url: remixUrl(req), headers, body: {},
    text: () => Promise.resolve(body),
  } as unknown as globalThis.Request;
}

// As Fetch's text() reads a body: UTF-8, a leading byte-order mark dropped.
const utf8 = new TextDecoder();

const isSent = (r: globalThis.Response) => r.status === 302 && (r.headers.get("Location") ?? "").endsWith("/sent");

/**
 * Runs a sign POST through `handleSign`: the "check your email" redirect to send, or the outcome
 * Remix must render. `req` carries Express's request getters (client address, protocol, host).
 */
export async function runSign(req: Request, post: SignPost, body: Buffer, context: AppLoadContext): Promise<{ sent: globalThis.Response } | { outcome: SignOutcome }> {
  const request = formRequest(req, utf8.decode(body));
  let outcome: SignOutcome;
  try {
    outcome = { returned: await handleSign(request, { slug: post.slug, action: post.action }, context) };
  } catch (thrown) {
    outcome = { thrown };
  }
  return "returned" in outcome && isSent(outcome.returned) ? { sent: outcome.returned } : { outcome };
}
