import { existsSync } from "node:fs";
import type { RequestListener } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import { sql } from "kysely";
import { campaignApiAnswer } from "#app/lib/api.server";
import { clientAddress } from "#app/lib/client-address.server";
import { withHotReads } from "./http/hot-reads";
import { freshNonce } from "./http/nonce";
import { PAGE_VERSION, pageCache } from "./http/page-cache";
import { responseHeaders } from "./http/security-headers";
import { remixHandler } from "./http/remix-handler";
import { guardRoutes } from "./http/route-guards";
import { crossSiteGuard } from "./http/cross-site";
import { handedOverPosts, withFastPosts } from "./http/fast-posts";
import { db } from "#db/client";
import { env, env as jobsEnv } from "#core/env";
import { producerConnection } from "#core/redis";
import { listWorkers } from "#jobs/heartbeat";
import { log, logger } from "#core/logger";
import { setQueueSource } from "#core/metrics";
import { env as opsEnv } from "#core/env";
import { QUEUE_NAMES, queue } from "#jobs/queues";
import { mayReadInternals, metricsEndpoint, requestObservability } from "./observability";
import { hostGuard, protocolGuard } from "./protocol-guard";
import { QUEUES_PATH, adminGate, queuesDashboard } from "./queues-dashboard";

/** The project folder: the nearest one above this module holding package.json (server/ from source, build/server/ compiled). */
function projectRoot(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
const root = projectRoot();

/** Largest request body a public form may send. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Largest body a workspace post may send (a CSV of officials, a long story); the session is checked by the route. */
export const MAX_WORKSPACE_BODY_BYTES = 2 * 1024 * 1024;

/** Workspace pages anyone may post to: a session cookie's name must not buy them the larger limit. */
const SIGNED_OUT_PAGES = /^\/admin\/(sign-in|sign-out|forgot-password|reset-password)(\/|$)/;

function bodyLimit(req: Request): number {
  const workspace = req.method === "POST" && req.path.startsWith("/admin/") && !SIGNED_OUT_PAGES.test(req.path) && /(^|;\s*)(__Host-)?inkwell_session=/.test(req.headers.cookie ?? "");
  return workspace ? MAX_WORKSPACE_BODY_BYTES : MAX_BODY_BYTES;
}

/** Loads the Remix server bundle produced by `npm run build`. */
export async function loadBuild(): Promise<ServerBuild> {
  const file = path.join(root, "build", "index.js");
  try {
    return (await import(pathToFileURL(file).href)) as ServerBuild;
  } catch (err) {
    throw new Error(`Cannot load ${file}; run \`npm run build\` first. (${(err as Error).message})`);
  }
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2_000))]);
    return "ok";
  } catch {
    return "unreachable";
  }
}

/** Whether this process can reach Postgres and Redis right now. */
async function readiness() {
  const [postgres, redis] = await Promise.all([
    check(() => sql`select 1`.execute(db())),
    check(() => producerConnection().ping()),
  ]);
  return { postgres, redis };
}

/** Live and stale workers by their heartbeats (shown by /readyz; the web tier's readiness does not depend on them). */
async function workerSummary() {
  try {
    const all = await Promise.race([
      listWorkers(producerConnection(), jobsEnv().QUEUE_PREFIX, opsEnv().HEARTBEAT_MS),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), 1_000)),
    ]);
    return { live: all.filter((w) => w.state === "live").length, stale: all.filter((w) => w.state === "stale").map((w) => ({ id: w.id, lastBeat: w.lastBeat })) };
  } catch {
    return "unknown";
  }
}

/**
 * GET /api/campaigns/:slug without Remix's request and response conversion: the hottest public read
 * sends the very answer the Remix route would. Anything unexpected (Postgres away) is left to Remix.
 */
function campaignApi(req: Request, res: Response, next: NextFunction) {
  const at = req.originalUrl.indexOf("?");
  const lang = at < 0 ? null : new URLSearchParams(req.originalUrl.slice(at + 1)).get("lang");
  campaignApiAnswer(req.params.slug ?? "", lang).then(
    (answer) => res.status(answer.status).set(answer.headers).end(answer.body),
    () => next(),
  );
}

/** What the web server answers with: kept campaign pages and counts straight away, everything else by the Express app. */
export function createWebHandler(build: ServerBuild): RequestListener {
  const options = { production: env().NODE_ENV === "production", logger: logger() };
  return withHotReads(withFastPosts(createWebApp(build), { ...options, maxBody: MAX_BODY_BYTES }), options);
}

/** The Express app: health check, static assets with long caching, then Remix. */
export function createWebApp(build: ServerBuild) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env().TRUST_PROXY);
  app.use(requestObservability(build));
  setQueueSource(() => QUEUE_NAMES.map(queue));

  const production = env().NODE_ENV === "production";
  const [embedHeaders, pageHeaders] = [responseHeaders("/embed/", production), responseHeaders("/", production)];
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = freshNonce();
    for (const [name, value] of req.path.startsWith("/embed/") ? embedHeaders : pageHeaders) res.setHeader(name, value);
    next();
  });

  app.use(hostGuard);
  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  app.get("/readyz", async (req, res) => {
    // Anyone may ask whether this process is ready; only those allowed /metrics see what is checked and which workers beat.
    const internals = mayReadInternals(req);
    const [checks, workers] = await Promise.all([readiness(), internals ? workerSummary() : undefined]);
    const ready = Object.values(checks).every((v) => v === "ok");
    const status = ready ? "ok" : "unavailable";
    res.status(ready ? 200 : 503).set("Cache-Control", "no-store").json(internals ? { status, checks, workers } : { status });
  });
  app.get("/metrics", metricsEndpoint);

  app.use(protocolGuard);
  app.use((req: Request, res: Response, next: NextFunction) => {
    // No slug, token or query value holds a NUL, and Postgres would refuse one with an error.
    if (/%00|\0/.test(req.originalUrl)) {
      res.status(400).type("text/plain").send("Bad request.");
      return;
    }
    // No address holds a backslash, and URL parsers read one as a slash: "/%5C" became "//", an
    // address with no host, and the page that tried to build it answered 500.
    if (/%5c|\\/i.test(req.originalUrl.split("?")[0]!)) {
      res.status(400).type("text/plain").send("Bad request: an address never holds a backslash.");
      return;
    }
    // A body of undeclared length (chunked) would slip past the size check below: forms always declare it.
    if (req.headers["transfer-encoding"] !== undefined && req.headers["content-length"] === undefined) {
      res.status(411).type("text/plain").send("Length required.");
      return;
    }
    const length = Number(req.headers["content-length"] ?? 0);
    const limit = bodyLimit(req);
    if (length > limit) {
      res.status(413).type("text/plain").send(limit === MAX_BODY_BYTES ? "Request too large." : `That upload is larger than ${limit / 1024 / 1024} MB: split it into smaller files.`);
      return;
    }
    next();
  });
  app.use(crossSiteGuard);
  app.use(compression());
  // Before Remix: the queue dashboard is an Express app of its own, for admins only.
  app.use(QUEUES_PATH, adminGate, queuesDashboard());
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h" });
  // Only a path naming a file can be one: pages and the API skip a disk lookup per request.
  app.use((req: Request, res: Response, next: NextFunction) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
  app.get("/api/campaigns/:slug", campaignApi);
  app.use(pageCache);
  const loadContext = (req: Request, res: Response): AppLoadContext => ({
    clientIp: clientAddress(req), cspNonce: res.locals.cspNonce as string, signOutcome: res.locals.signOutcome as AppLoadContext["signOutcome"],
    keptPageVersion: (version) => (res.locals[PAGE_VERSION] = version),
  });
  const remix = remixHandler(guardRoutes(build), loadContext);
  // A sign or confirm post answered ahead of Express arrives here only when Remix must render its page (docs/decisions/sign-fast-path.md).
  app.use(handedOverPosts(remix));
  app.all("*", remix);

  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    // Express marks what the client got wrong (a malformed %-escape in the path, a bad body) with a 4xx.
    if (err.status && err.status >= 400 && err.status < 500) {
      if (!res.headersSent) res.status(err.status).type("text/plain").send("Bad request.");
      return;
    }
    log.error("unhandled request error", { err: err.message });
    if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong. Please try again.");
  });
  return app;
}
