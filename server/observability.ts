import { randomUUID } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";
import { logger } from "#core/logger";
import { httpDuration, metricsAllowed, registry, signaturesAccepted } from "#core/metrics";

interface RoutePattern {
  pattern: string;
  regex: RegExp;
  params: string[];
  score: number;
}

/** Path parameters that carry secrets or references to one person: never logged. */
const SECRET_PARAM = /token|ref|key|secret|code/i;

function patternsOf(build: ServerBuild): RoutePattern[] {
  const routes = Object.values(build.routes);
  const fullPath = (id: string | undefined): string => {
    const r = id ? build.routes[id] : undefined;
    if (!r) return "";
    const parent = fullPath(r.parentId);
    return r.path ? `${parent}/${r.path}`.replace(/\/+/g, "/") : parent;
  };
  return routes.map((r) => {
    const pattern = fullPath(r.id) || "/";
    const segments = pattern.split("/").filter(Boolean);
    const params: string[] = [];
    let score = r.index ? 2 : 0;
    const source = segments.map((s) => {
      if (s === "*") {
        params.push("*");
        score -= 2;
        return "(?:/(.*))?";
      }
      if (s.startsWith(":")) {
        params.push(s.slice(1).replace(/\?$/, ""));
        score += 3;
        return s.endsWith("?") ? "(?:/([^/]+))?" : "/([^/]+)";
      }
      score += 10;
      return `/${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    });
    return { pattern, params, score, regex: new RegExp(`^${source.join("")}/?$`) };
  }).sort((a, b) => b.score - a.score);
}

/** Names requests by route pattern (`/confirm/:token`) and logs paths with secret segments hidden. */
export function routeNamer(build: ServerBuild) {
  const patterns = patternsOf(build);
  // Every request is named twice (metrics and the log line), by up to a hundred regular
  // expressions: the names of recent paths are kept (a page and its count are most requests),
  // except paths holding a secret, which are never kept.
  const recent = new Map<string, { route: string; path: string }>();
  return (rawPath: string): { route: string; path: string } => {
    const path = rawPath.split("?")[0]!;
    let named = recent.get(path);
    if (!named) {
      if (recent.size >= 1_000) recent.clear();
      named = nameOf(path);
      if (named.path === path) recent.set(path, named);
    }
    return named;
  };
  function nameOf(path: string): { route: string; path: string } {
    if (path.startsWith("/build/")) return { route: "/build/*", path };
    for (const p of patterns) {
      const m = p.regex.exec(path);
      if (!m) continue;
      let shown = path;
      p.params.forEach((name, i) => {
        const value = m[i + 1];
        if (value && SECRET_PARAM.test(name)) shown = shown.replace(`/${value}`, `/:${name}`);
      });
      return { route: p.pattern, path: shown };
    }
    return { route: "unmatched", path: "unmatched" };
  }
}

/** An incoming X-Request-Id is kept only if it is a short, plain token. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The request's id: a plain incoming `X-Request-Id`, or a new one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** One finished (or abandoned) request, as timed and logged. */
export interface RequestRecord {
  id: string;
  method: string;
  route: string;
  path: string;
  status: number;
  seconds: number;
  aborted?: boolean;
}

const IGNORED_IN_LOG = new Set(["/healthz", "/metrics"]);

/**
 * Times a request in the HTTP histogram and writes its log line (method, route, path without query
 * string or secrets, status, duration: never bodies, emails or addresses). Shared by the Express
 * app and the hot read path, so both name, time and log alike; the logger is taken once.
 */
export function requestRecorder(log: Logger = logger()): (r: RequestRecord) => void {
  const timers = new Map<string, ReturnType<typeof httpDuration.labels>>();
  return (r) => {
    if (!r.aborted) {
      const key = `${r.method}\0${r.route}\0${r.status}`;
      let timer = timers.get(key);
      if (!timer) {
        if (timers.size >= 1_000) timers.clear();
        timers.set(key, (timer = httpDuration.labels(r.method, r.route, String(r.status))));
      }
      timer.observe(r.seconds);
    }
    if (IGNORED_IN_LOG.has(r.path)) return;
    const level = r.status >= 500 ? "error" : "info";
    if (!log.isLevelEnabled(level)) return;
    log[level](
      { reqId: r.id, method: r.method, route: r.route, path: r.path, status: r.status, durationMs: Math.round(r.seconds * 1000), ...(r.aborted ? { aborted: true } : {}) },
      r.aborted ? "request aborted" : "request",
    );
  };
}

const EXPRESS_ROUTES = new Set(["/healthz", "/readyz", "/metrics"]);

/** Request ids, one JSON log line per request and the HTTP metrics, in one middleware: no logger is made per request. */
export function requestObservability(build: ServerBuild): RequestHandler[] {
  const name = routeNamer(build);
  const record = requestRecorder();
  const named = (req: Request) => {
    const path = req.originalUrl ?? req.url ?? "/";
    const bare = path.split("?")[0]!;
    return EXPRESS_ROUTES.has(bare) ? { route: bare, path: bare } : name(path);
  };
  const observe: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = requestIdOf(req.headers["x-request-id"]);
    res.setHeader("X-Request-Id", id);
    const done = (aborted: boolean) => {
      const { route, path } = named(req);
      const status = res.statusCode;
      if (!aborted) {
        const target = String(res.getHeader("location") ?? res.getHeader("x-remix-redirect") ?? "");
        if (req.method === "POST" && route.endsWith("/:slug/:action") && target.endsWith("/sent")) signaturesAccepted.inc();
      }
      record({ id, method: req.method, route, path, status, seconds: Number(process.hrtime.bigint() - started) / 1e9, aborted });
    };
    let finished = false;
    res.once("finish", () => {
      finished = true;
      done(false);
    });
    res.once("close", () => finished || done(true));
    next();
  };
  return [observe];
}

/** Whether a request may read internals (/metrics, the details of /readyz): loopback only, or `Authorization: Bearer <METRICS_TOKEN>`. */
export function mayReadInternals(req: Request): boolean {
  // A request relayed by a proxy on this host arrives from loopback but came from elsewhere.
  const relayed = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
  return metricsAllowed(relayed ? undefined : req.socket.remoteAddress, req.headers.authorization);
}

/** GET /metrics: loopback only, or anyone with `Authorization: Bearer <METRICS_TOKEN>`. */
export const metricsEndpoint: RequestHandler = (req, res) => {
  if (!mayReadInternals(req)) {
    res.status(403).type("text/plain").send("Forbidden.");
    return;
  }
  registry.metrics().then(
    (body) => res.set("Cache-Control", "no-store").type(registry.contentType).send(body),
    () => res.status(500).type("text/plain").send("Metrics unavailable."),
  );
};
