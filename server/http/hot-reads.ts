import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { cachedCampaignApiAnswer, type ApiAnswer } from "#app/lib/api.server";
import { env } from "#core/env";
import { hotReads } from "#core/metrics";
import { requestIdOf, requestRecorder } from "../observability";
import { hostIsPlain } from "../protocol-guard";
import { freshNonce } from "./nonce";
import { bodyLength, endWithPage, freshPage, type Page } from "./page-cache";
import { responseHeaders } from "./security-headers";

// The two reads that are most of a big action day's traffic, a campaign page and its count JSON,
// answered from this process's caches straight from node:http when they are already kept: no
// Express request and response objects, no middleware chain. Every answer still carries the
// security headers, its own request id and (pages) a fresh CSP nonce; it is timed, counted and
// logged under the same route names as Express's answers. Anything else, and any request that is
// not plainly one of these (a body, an odd query, a session cookie, a page not kept yet), goes on
// to Express unchanged. docs/decisions/hot-read-path.md says why.

const API_PATH = /^\/api\/campaigns\/([a-z0-9-]{1,100})(?:\?lang=([a-z]{2}))?$/;
const PAGE_PATH = /^\/campaigns\/[a-z0-9-]{1,100}$/;
const PAGE_ROUTE = "/campaigns/:slug";
const API_ROUTE = "/api/campaigns/:slug";

/** Whether the client asks for a compressed answer, which Express's compression gives. */
const wantsCompression = (req: IncomingMessage) => {
  const accepted = req.headers["accept-encoding"];
  return accepted !== undefined && /\b(gzip|br|deflate)\b/i.test(accepted);
};

/**
 * Wraps the Express app's listener: kept campaign pages and count answers are sent here, every
 * other request is handed to `app`.
 */
export function withHotReads(app: RequestListener, options: { production: boolean; logger: Logger }): RequestListener {
  const security = responseHeaders("/", options.production).flat();
  const record = requestRecorder(options.logger);
  const [pagesSent, countsSent] = [hotReads.labels(PAGE_ROUTE), hotReads.labels(API_ROUTE)];
  const finish = (req: IncomingMessage, started: bigint, route: string, path: string, status: number, id: string) => {
    record({ id, method: req.method!, route, path, status, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    (route === PAGE_ROUTE ? pagesSent : countsSent).inc();
  };
  // The API's headers and body as bytes, made once per kept answer; a page's headers, once per kept page.
  const apiBytes = new WeakMap<ApiAnswer, { head: string[]; body: Buffer }>();
  const pageHeads = new WeakMap<Page, string[]>();

  function sendApi(req: IncomingMessage, res: ServerResponse, url: string, slug: string, lang: string | null): boolean {
    const started = process.hrtime.bigint();
    const answer = cachedCampaignApiAnswer(slug, lang);
    if (!answer) return false;
    let bytes = apiBytes.get(answer);
    if (!bytes) {
      const body = Buffer.from(answer.body);
      bytes = { head: [...security, ...Object.entries(answer.headers).flat(), "Vary", "Accept-Encoding", "Content-Length", String(body.length)], body };
      apiBytes.set(answer, bytes);
    }
    // Express compresses an answer of 1 KB or more for a client that asks.
    if (bytes.body.length >= 1024 && wantsCompression(req)) return false;
    const id = requestIdOf(req.headers["x-request-id"]);
    res.writeHead(answer.status, ["X-Request-Id", id, ...bytes.head]);
    res.end(req.method === "HEAD" ? undefined : bytes.body);
    finish(req, started, API_ROUTE, url.split("?")[0]!, answer.status, id);
    return true;
  }

  function sendPage(req: IncomingMessage, res: ServerResponse, url: string): boolean {
    const started = process.hrtime.bigint();
    const page = freshPage(url, req.headers.cookie, req.headers["accept-language"]);
    if (!page || wantsCompression(req)) return false;
    const nonce = freshNonce();
    const id = requestIdOf(req.headers["x-request-id"]);
    let kept = pageHeads.get(page);
    // The kept headers are the rendered page's own, security headers included.
    if (!kept) pageHeads.set(page, (kept = page.headers.flatMap(([name, value]) => [name, String(value)])));
    res.writeHead(200, ["X-Request-Id", id, ...kept, "Content-Security-Policy", page.csp.join(nonce), "Content-Length", String(bodyLength(page, nonce))]);
    endWithPage(res, page, nonce, req.method === "HEAD");
    finish(req, started, PAGE_ROUTE, url, 200, id);
    return true;
  }

  return (req, res) => {
    const method = req.method;
    const url = req.url ?? "";
    // A read with a body, or with a Host naming no host, is left to Express, which refuses what it must.
    if ((method === "GET" || method === "HEAD") && env().HOT_READS === "on" && req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined && hostIsPlain(req)) {
      if (url.startsWith("/api/campaigns/")) {
        const m = API_PATH.exec(url);
        if (m && sendApi(req, res, url, m[1]!, m[2] ?? null)) return;
      } else if (PAGE_PATH.test(url) && sendPage(req, res, url)) {
        return;
      }
    }
    app(req, res);
  };
}
