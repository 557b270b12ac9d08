import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import type { Express, NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { clientAddress } from "#app/lib/client-address.server";
import { env } from "#core/env";
import { confirmFastPath, signaturesAccepted, signFastPath } from "#core/metrics";
import { requestIdOf, requestRecorder } from "../observability";
import { hostIsPlain } from "../protocol-guard";
import { confirmPost, runConfirm } from "./confirm-fast-path";
import { originIsOwnHost } from "./cross-site";
import { dataRedirect, readBody } from "./fast-answers";
import { BUFFERED_BODY } from "./remix-handler";
import { responseHeaders } from "./security-headers";
import { runSign, signPost, type SignOutcome } from "./sign-fast-path";

// The two posts a crowd makes at once, the sign form and the confirm button, answered from
// node:http ahead of Express when they succeed (./sign-fast-path.ts, ./confirm-fast-path.ts).
// Only a post every Express guard would pass is taken here: a form body of declared length within
// the limit, no NUL in the address, no Origin of another host. Anything else goes to Express
// untouched. A taken post whose outcome is not the plain redirect (a form error, a limit, a spent
// link) is handed to Express with its body (and, for signing, its outcome), and Remix renders the
// page as it always did. Every answer sent here carries the security headers and its request id,
// and is timed, counted and logged under the route's own name.

const FORM_TYPE = "application/x-www-form-urlencoded";
const SIGN_ROUTE = "/campaigns/:slug/:action";
const CONFIRM_ROUTE = "/confirm/:token";
const HANDED_OVER = Symbol("inkwell.handedOver");

interface HandedOver { body: Buffer; signOutcome?: SignOutcome }
type Handed = IncomingMessage & { [HANDED_OVER]?: HandedOver };

/** Whether Express would let this post through to the routes unchanged (see createWebApp's guards and the protocol guard). */
function plainFormPost(req: IncomingMessage, url: string, maxBody: number, typeOptional: boolean): boolean {
  if (req.headers["transfer-encoding"] !== undefined || /%00|\0/.test(url) || !hostIsPlain(req) || !originIsOwnHost(req)) return false;
  const length = req.headers["content-length"];
  if (length !== undefined && !(/^\d{1,7}$/.test(length) && Number(length) <= maxBody)) return false;
  const type = req.headers["content-type"];
  if (type === undefined) return typeOptional;
  return type.split(";")[0]!.trim().toLowerCase() === FORM_TYPE;
}

/**
 * Wraps the Express app's listener: successful sign and confirm posts are answered here, every
 * other request is handed to `app`.
 */
export function withFastPosts(app: Express, options: { production: boolean; logger: Logger; maxBody: number }): RequestListener {
  const security = responseHeaders("/", options.production).flat();
  const record = requestRecorder(options.logger);

  function send(req: IncomingMessage, res: ServerResponse, answer: globalThis.Response, started: bigint, route: string, path: string) {
    const id = requestIdOf(req.headers["x-request-id"]);
    const head = ["X-Request-Id", id, ...security];
    answer.headers.forEach((value, name) => {
      if (name !== "set-cookie") head.push(name, value);
    });
    for (const cookie of answer.headers.getSetCookie()) head.push("set-cookie", cookie);
    const aborted = res.destroyed;
    if (!aborted) {
      res.writeHead(answer.status, head);
      res.end();
    }
    record({ id, method: "POST", route, path, status: answer.status, seconds: Number(process.hrtime.bigint() - started) / 1e9, aborted });
  }

  function handOver(req: Handed, res: ServerResponse, handed: HandedOver) {
    req[HANDED_OVER] = handed;
    app(req, res);
  }

  return (req, res) => {
    const url = req.url ?? "";
    const e = env();
    const sign = req.method === "POST" && e.SIGN_FAST_PATH === "on" && url.startsWith("/campaigns/") ? signPost(url) : null;
    const confirm = req.method === "POST" && !sign && e.CONFIRM_FAST_PATH === "on" && url.startsWith("/confirm/") ? confirmPost(url) : null;
    if ((!sign && !confirm) || !plainFormPost(req, url, options.maxBody, confirm !== null)) return app(req, res);
    const started = process.hrtime.bigint();
    // Express's own request getters (client address, protocol and host under TRUST_PROXY), as its
    // first middleware would give them; the app sets the same prototype again if it is handed the request.
    Object.setPrototypeOf(req, app.request);
    (req as Request).originalUrl = url;
    const path = url.split("?")[0]!;
    readBody(req, options.maxBody).then(async (body) => {
      if (body === null) return; // cannot happen: the declared length was within the limit, and node:http holds the body to it
      if (sign) {
        const context: AppLoadContext = { clientIp: clientAddress(req as Request), cspNonce: "" };
        const result = await runSign(req as Request, sign, body, context);
        signFastPath.inc({ answered_by: "sent" in result ? "fast" : "remix" });
        if (!("sent" in result)) return handOver(req, res, { body, signOutcome: result.outcome });
        signaturesAccepted.inc();
        return send(req, res, sign.data ? dataRedirect(result.sent) : result.sent, started, SIGN_ROUTE, path);
      }
      // Postgres away: Remix runs the action again and renders its error page.
      const confirmed = await runConfirm(confirm!).catch(() => null);
      confirmFastPath.inc({ answered_by: confirmed ? "fast" : "remix" });
      if (!confirmed) return handOver(req, res, { body });
      send(req, res, confirm!.data ? dataRedirect(confirmed) : confirmed, started, CONFIRM_ROUTE, CONFIRM_ROUTE);
    }).catch(() => {
      // The client went away mid-body: there is no one to answer.
      res.destroy();
    });
  };
}

/**
 * Express middleware, ahead of Remix: a post taken by `withFastPosts` and handed over is given to
 * Remix with the body already read and, for signing, the outcome to replay.
 */
export function handedOverPosts(remix: (req: Request, res: Response, next: NextFunction) => unknown) {
  return (req: Request, res: Response, next: NextFunction) => {
    const handed = (req as Handed)[HANDED_OVER];
    if (!handed) return next();
    res.locals[BUFFERED_BODY] = handed.body;
    res.locals.signOutcome = handed.signOutcome;
    return remix(req, res, next);
  };
}
