import { json, type ServerBuild } from "@remix-run/node";
import { log } from "#core/logger";

/** Seconds a visitor (or a crawler, or a load balancer) is asked to wait while the database is away. */
export const RETRY_AFTER_SECONDS = 30;

// Failures that waiting cures, as opposed to a query that is wrong: class 08 (connection exception),
// class 53 (insufficient resources: disk full, out of memory, too many connections), 57P01-57P03
// (admin or crash shutdown, cannot connect now) and the socket errors node reports while nothing listens.
const CODES = new Set(["57P01", "57P02", "57P03", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated due to connection timeout|the database system is (starting up|shutting down|in recovery mode)/i;

/** Whether an error means "PostgreSQL cannot be reached right now" (retrying later will help). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === "string" && (CODES.has(e.code) || e.code.startsWith("08") || e.code.startsWith("53"))) return true;
  if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
  // node reports "connect ECONNREFUSED" on both addresses of localhost as an AggregateError.
  return Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable);
}

/** The 503 a request gets instead of a 500: JSON for the API, the friendly error page otherwise. */
export function unavailableResponse(request: Request): Response {
  const headers = { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" };
  if (new URL(request.url).pathname.startsWith("/api/")) {
    return json({ error: "unavailable", retryAfter: RETRY_AFTER_SECONDS }, { status: 503, headers: { ...headers, "Access-Control-Allow-Origin": "*" } });
  }
  return new Response("unavailable", { status: 503, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
}

let lastLogged = 0;

type Handler = (args: { request: Request }) => unknown;

function guard(fn: Handler | undefined, routeId: string): Handler | undefined {
  if (!fn) return undefined;
  return async (args) => {
    try {
      return await fn(args);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      // Once every few seconds is enough to see an outage; every request would flood the logs.
      if (Date.now() - lastLogged > 5_000) {
        lastLogged = Date.now();
        log.warn("database unavailable; answering 503", { route: routeId, code: String((err as { code?: unknown }).code ?? "") });
      }
      throw unavailableResponse(args.request);
    }
  };
}

/**
 * The one place a lost database becomes a 503: every route's loader and action is wrapped so a
 * connection failure is thrown as a 503 Response (the error boundary shows the friendly page,
 * resource routes answer JSON) instead of surfacing as a 500. Transactions roll back on their own.
 */
export function guardRoutes(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = route.module as { loader?: Handler; action?: Handler };
      const guarded = { ...route.module, loader: guard(module.loader, id), action: guard(module.action, id) };
      return [id, { ...route, module: guarded as typeof route.module }];
    }),
  );
  return { ...build, routes };
}
