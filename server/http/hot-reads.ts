import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { cachedCampaignApiAnswer, type ApiAnswer } from "#app/lib/api.server";
import { env } from "#core/env";
import { hotReads, httpDuration } from "#core/metrics";
import { freshNonce } from "./nonce";
import { freshPage, withNonce, type Page } from "./page-cache";
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
/** An incoming X-Request-Id is kept only if it is a short, plain token (as server/observability.ts does). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
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
  const logRequests = options.logger.isLevelEnabled("info");
  const [pagesSent, countsSent] = [hotReads.labels(PAGE_ROUTE), hotReads.labels(API_ROUTE)];
  const timers = new Map<string, ReturnType<typeof httpDuration.labels>>();
  // The API's headers and body as bytes, made once per kept answer; a page's headers, once per kept page.
  const apiBytes = new WeakMap<ApiAnswer, { head: string[]; body: Buffer }>();
  const pageHeads = new WeakMap<Page, string[]>();

  function finish(req: IncomingMessage, res: ServerResponse, started: bigint, route: string, path: string, status: number, id: string) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const key = `${req.method}\0${route}\0${status}`;
    let timer = timers.get(key);
    if (!timer) timers.set(key, (timer = httpDuration.labels(req.method!, route, String(status))));
    timer.observe(seconds);
    (route === PAGE_ROUTE ? pagesSent : countsSent).inc();
    if (logRequests) options.logger.info({ reqId: id, method: req.method, route, path, status, durationMs: Math.round(seconds * 1000) }, "request");
  }

  function requestId(req: IncomingMessage): string {
    const incoming = req.headers["x-request-id"];
    return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  }

  function sendApi(req: IncomingMessage, res: ServerResponse, url: string, slug: string, lang: string | null): boolean {
    const answer = cachedCampaignApiAnswer(slug, lang);
    if (!answer || Buffer.byteLength(answer.body) >= 1024 && wantsCompression(req)) return false;
    const started = process.hrtime.bigint();
    let bytes = apiBytes.get(answer);
    if (!bytes) {
      const body = Buffer.from(answer.body);
      bytes = { head: [...security, ...Object.entries(answer.headers).flat(), "Vary", "Accept-Encoding", "Content-Length", String(body.length)], body };
      apiBytes.set(answer, bytes);
    }
    const id = requestId(req);
    res.writeHead(answer.status, ["X-Request-Id", id, ...bytes.head]);
    res.end(req.method === "HEAD" ? undefined : bytes.body);
    finish(req, res, started, API_ROUTE, url.split("?")[0]!, answer.status, id);
    return true;
  }

  function sendPage(req: IncomingMessage, res: ServerResponse, url: string): boolean {
    const page = freshPage(url, req.headers.cookie, req.headers["accept-language"]);
    if (!page || wantsCompression(req)) return false;
    const started = process.hrtime.bigint();
    const nonce = freshNonce();
    const { csp, body } = withNonce(page, nonce);
    const id = requestId(req);
    let kept = pageHeads.get(page);
    // The kept headers are the rendered page's own, security headers included.
    if (!kept) pageHeads.set(page, (kept = page.headers.flatMap(([name, value]) => [name, String(value)])));
    res.writeHead(200, ["X-Request-Id", id, ...kept, "Content-Security-Policy", csp, "Content-Length", String(body.length)]);
    res.end(req.method === "HEAD" ? undefined : body);
    finish(req, res, started, PAGE_ROUTE, url, 200, id);
    return true;
  }

  return (req, res) => {
    const method = req.method;
    const url = req.url ?? "";
    // A read with a body is left to Express, which refuses what it must.
    if ((method === "GET" || method === "HEAD") && env().HOT_READS === "on" && req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
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
