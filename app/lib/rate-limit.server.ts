import type { HeadersFunction } from "@remix-run/node";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { limiterConnection } from "#core/redis";
import { log } from "#core/logger";
import { keyedHash } from "#core/keys";
import { env, type Env } from "#core/env";
import { count, messages } from "../i18n";
import { requestLanguage } from "../i18n/language.server";

/** The limits the platform knows; each is a fixed window of `points` per `seconds`, set from the environment. */
const RULES = {
  "sign-ip": { setting: "RATE_LIMIT_SIGN_PER_IP_PER_MINUTE", seconds: 60 },
  "sign-email": { setting: "RATE_LIMIT_SIGN_PER_EMAIL_PER_HOUR", seconds: 3600 },
  "letter-ip": { setting: "RATE_LIMIT_LETTER_PER_IP_PER_MINUTE", seconds: 60 },
  "signin-ip": { setting: "RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE", seconds: 60 },
  "signin-email": { setting: "RATE_LIMIT_SIGNIN_PER_EMAIL_PER_HOUR", seconds: 3600 },
  "signin-failure": { setting: "RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL_IP_PER_HOUR", seconds: 3600 },
  "signin-site": { setting: "RATE_LIMIT_SIGNIN_FAILURES_PER_MINUTE", seconds: 60 },
  "password-reset": { setting: "RATE_LIMIT_PASSWORD_RESET_PER_HOUR", seconds: 3600 },
  "unsubscribe-ip": { setting: "RATE_LIMIT_UNSUBSCRIBE_PER_IP_PER_MINUTE", seconds: 60 },
  "privacy-request": { setting: "RATE_LIMIT_PRIVACY_REQUEST_PER_HOUR", seconds: 3600 },
  // Not a refusal: past this many signatures from one IP on one action, the rest are held as suspicious.
  "suspicious-ip": { setting: "SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR", seconds: 3600 },
  "api-key": { setting: "RATE_LIMIT_API_PER_KEY_PER_MINUTE", seconds: 60 },
} as const satisfies Record<string, { setting: keyof Env; seconds: number }>;

export type LimitKind = keyof typeof RULES;
export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const globalForLimits = globalThis as unknown as { __inkwellLimiters?: Map<string, RateLimiterAbstract | null> };

function limiter(kind: LimitKind): RateLimiterAbstract | null {
  const e = env();
  const cache = (globalForLimits.__inkwellLimiters ??= new Map());
  const id = `${e.QUEUE_PREFIX}:${kind}`;
  if (!cache.has(id)) {
    const points = e.RATE_LIMITS === "off" ? 0 : (e[RULES[kind].setting] as number);
    const duration = RULES[kind].seconds;
    cache.set(
      id,
      points === 0
        ? null
        : new RateLimiterRedis({
            storeClient: limiterConnection(),
            keyPrefix: `${e.QUEUE_PREFIX}:rl:${kind}`,
            points,
            duration,
            // Redis down or still connecting: count in this process instead, so signing never waits on Redis.
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory({ points, duration }),
          }),
    );
  }
  return cache.get(id) ?? null;
}

const warming = new WeakMap<object, Promise<void>>();
// The first attempts after boot would otherwise be counted in memory while the connection opens,
// and the count would start again in Redis: every caller waits for the same first connection.
function firstConnection(): Promise<void> {
  const redis = limiterConnection();
  let first = warming.get(redis);
  if (!first) warming.set(redis, (first = new Promise<void>((resolve) => {
    if (redis.status === "ready") return resolve();
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, 500);
    redis.once("ready", done);
  })));
  return first;
}

// Keys are keyed hashes, so no email address or IP ever lands in Redis.
function limiterKey(kind: LimitKind, key: string): string {
  const e = env();
  return keyedHash("rate-limit-key", e.IP_HASH_KEY ?? e.SESSION_SECRET, `${kind}\0${key}`).toString("base64url").slice(0, 22);
}

/**
 * Counts one attempt of `kind` for `key` (an IP, an email address, "action:ip", …).
 * Never throws: when every store fails the attempt is allowed.
 */
export async function consume(kind: LimitKind, key: string): Promise<LimitResult> {
  const rl = limiter(kind);
  if (!rl) return { ok: true };
  await firstConnection();
  try {
    await rl.consume(limiterKey(kind, key));
    return { ok: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    log.warn("rate limiter failed; allowing the request", { kind, err: (rejection as Error)?.message });
    return { ok: true };
  }
}

/** Gives back one attempt counted by `consume` (it turned out not to be one the limit is about). Never throws. */
export async function refund(kind: LimitKind, key: string): Promise<void> {
  const rl = limiter(kind);
  if (!rl) return;
  try {
    await rl.reward(limiterKey(kind, key), 1);
  } catch (err) {
    log.warn("rate limiter refund failed", { kind, err: (err as Error)?.message });
  }
}

/** A 429 with Retry-After whose text the shared error boundary shows, in the visitor's language. */
export function tooManyRequests(request: Request, retryAfterSeconds: number): Response {
  const language = requestLanguage(request);
  const t = messages(language);
  return new Response(count(language, t.limits.body, Math.max(1, Math.ceil(retryAfterSeconds / 60))), {
    status: 429,
    headers: { "Retry-After": String(retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** Counts an attempt and throws the friendly 429 page when the limit is reached. */
export async function enforceLimit(request: Request, kind: LimitKind, key: string): Promise<void> {
  const result = await consume(kind, key);
  if (!result.ok) throw tooManyRequests(request, result.retryAfterSeconds);
}

/**
 * Remix drops a thrown Response's headers from the rendered error page unless the route passes
 * them on: routes that call `enforceLimit` export `export const headers = limitHeaders;`.
 */
export const limitHeaders: HeadersFunction = ({ errorHeaders }) => {
  const retryAfter = errorHeaders?.get("Retry-After");
  const headers = new Headers();
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
