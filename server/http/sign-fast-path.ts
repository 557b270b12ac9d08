import type { AppLoadContext } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import { handleSign } from "#app/lib/sign.server";
import { env } from "#core/env";
import { signFastPath as counted } from "#core/metrics";
import { dataRedirect, readBody } from "./fast-answers";
import { BUFFERED_BODY, remixUrl, sendRemixResponse } from "./remix-handler";

// The sign form's POST without Remix's per-request work (route matching rebuilt per request,
// Request/Response objects, the render pipeline), which a profile under the sign load found to be
// most of a web process's own CPU. The request is run through the very function the Remix action
// calls (`handleSign`: same schema, same limits, holds and recording, the answer only after the
// commit). When that ends in the "check your email" redirect, it is sent here; any other outcome
// (a form error, a closed campaign, a 404, a 429, a database error) is handed to Remix with the
// outcome attached, so Remix renders exactly the page it always did without running anything (or
// counting any limit) a second time. docs/decisions/sign-fast-path.md explains the choice.

const SIGN_PATH = /^\/campaigns\/([a-z0-9-]+)\/([a-z0-9-]+)$/;
/** The route Remix's client names when JavaScript submits the form (`?_data=`). */
export const SIGN_ROUTE_ID = "routes/campaigns.$slug.$action._index";
const FORM_TYPE = "application/x-www-form-urlencoded";

/** What `handleSign` ended with for this request, for Remix to replay instead of running it again. */
export type SignOutcome = { returned: globalThis.Response } | { thrown: unknown };

/** The few parts of a Fetch Request `handleSign` reads, over Express's request and the body already read. */
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

/** Only the query strings the form itself posts with: `?index`, a share `source`, and the data request of this route. */
function plainFormQuery(url: string): { data: boolean } | null {
  const at = url.indexOf("?");
  if (at < 0) return { data: false };
  let data = false;
  for (const [key, value] of new URLSearchParams(url.slice(at + 1))) {
    if (key === "_data" && value === SIGN_ROUTE_ID && !data) data = true;
    else if (!(key === "index" && value === "") && key !== "source") return null;
  }
  return { data };
}

const isSent = (r: globalThis.Response) => r.status === 302 && (r.headers.get("Location") ?? "").endsWith("/sent");

/**
 * Express middleware for POST /campaigns/:slug/:action. `remix` answers whatever this does not;
 * `context` is the load context Remix would be given.
 */
export function signFastPath(
  remix: (req: Request, res: Response, next: NextFunction) => unknown,
  context: (req: Request, res: Response) => AppLoadContext,
  maxBody: number,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "POST") return next();
    const path = SIGN_PATH.exec(req.path);
    const query = path && req.path === req.originalUrl.split("?")[0] ? plainFormQuery(req.originalUrl) : null;
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!path || !query || type !== FORM_TYPE || env().SIGN_FAST_PATH === "off") return next();
    readBody(req, maxBody).then(async (body) => {
      if (body === null) return next();
      res.locals[BUFFERED_BODY] = body;
      const ctx = context(req, res);
      const request = formRequest(req, new TextDecoder().decode(body));
      let outcome: SignOutcome;
      try {
        outcome = { returned: await handleSign(request, { slug: path[1], action: path[2] }, ctx) };
      } catch (thrown) {
        outcome = { thrown };
      }
      const sent = "returned" in outcome && isSent(outcome.returned) ? outcome.returned : null;
      counted.inc({ answered_by: sent ? "fast" : "remix" });
      if (sent) {
        await sendRemixResponse(res, query.data ? dataRedirect(sent) : sent);
        return;
      }
      res.locals.signOutcome = outcome;
      await remix(req, res, next);
    }).catch(next);
  };
}
