import type { NextFunction, Request, Response } from "express";
import { confirmByToken } from "#app/lib/confirm.server";
import { env } from "#core/env";
import { confirmFastPath as counted } from "#core/metrics";
import { dataRedirect, readBody } from "./fast-answers";
import { BUFFERED_BODY, sendRemixResponse } from "./remix-handler";

// The confirm button's POST without Remix's per-request work, as the sign fast path does for the
// sign form: the request runs through the very function the route's action calls
// (`confirmByToken`, one statement), and when that ends in the thank-you redirect it is sent here.
// Any other outcome (an unknown, expired or spent link) is left to Remix, which runs the action
// again — it only reads then, so nothing is done twice — and renders the page as it always did.

const CONFIRM_PATH = /^\/confirm\/([A-Za-z0-9_-]{16,128})$/;
/** The route Remix's client names when JavaScript submits the confirm form (`?_data=`). */
export const CONFIRM_ROUTE_ID = "routes/confirm.$token";
const FORM_TYPE = "application/x-www-form-urlencoded";

/** No query string, or only the data request of this route. */
function plainQuery(url: string): { data: boolean } | null {
  const at = url.indexOf("?");
  if (at < 0) return { data: false };
  const query = new URLSearchParams(url.slice(at + 1));
  return [...query.keys()].length === 1 && query.get("_data") === CONFIRM_ROUTE_ID ? { data: true } : null;
}

/** Express middleware for POST /confirm/:token; `remix` answers whatever this does not. */
export function confirmFastPath(remix: (req: Request, res: Response, next: NextFunction) => unknown, maxBody: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "POST") return next();
    const path = CONFIRM_PATH.exec(req.path);
    const query = path && req.path === req.originalUrl.split("?")[0] ? plainQuery(req.originalUrl) : null;
    const type = (req.headers["content-type"] ?? FORM_TYPE).split(";")[0]!.trim().toLowerCase();
    if (!path || !query || type !== FORM_TYPE || env().CONFIRM_FAST_PATH === "off") return next();
    readBody(req, maxBody).then(async (body) => {
      if (body === null) return next();
      res.locals[BUFFERED_BODY] = body;
      const answer = await confirmByToken(path[1]!);
      const confirmed = answer.status === 302;
      counted.inc({ answered_by: confirmed ? "fast" : "remix" });
      if (confirmed) return sendRemixResponse(res, query.data ? dataRedirect(answer) : answer);
      await remix(req, res, next);
    }).catch(next);
  };
}
