import type { HeadersFunction } from "@remix-run/node";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Redis } from "ioredis";
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

/** A limit counted in Redis, and the in-memory limiter it falls back to while Redis is away. */
interface Limit { store: RateLimiterRedis; insurance: RateLimiterMemory }

const globalForLimits = globalThis as unknown as { __inkwellLimits?: Map<string, Limit | null> };

function limit(kind: LimitKind): Limit | null {
  const e = env();
  const cache = (globalForLimits.__inkwellLimits ??= new Map());
  const id = `${e.QUEUE_PREFIX}:${kind}`;
  let found = cache.get(id);
  if (found === undefined) {
    const points = e.RATE_LIMITS === "off" ? 0 : (e[RULES[kind].setting] as number);
    const duration = RULES[kind].seconds;
    const insurance = new RateLimiterMemory({ points, duration });
    found = points === 0 ? null : {
      insurance,
      store: new RateLimiterRedis({
        storeClient: limiterConnection(),
        keyPrefix: `${e.QUEUE_PREFIX}:rl:${kind}`,
        points,
        duration,
        // Redis down or still connecting: count in this process instead, so signing never waits on Redis.
        rejectIfRedisNotReady: true,
        insuranceLimiter: insurance,
      }),
    };
    cache.set(id, found);
  }
  return found;
}

const limiter = (kind: LimitKind): RateLimiterAbstract | null => limit(kind)?.store ?? null;

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

/** A refusal, with the whole seconds (at least one) until the window ends `msLeft` from now. */
const refused = (msLeft: number): LimitResult => ({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(msLeft, 0) / 1000)) });

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
    if (rejection instanceof RateLimiterRes) return refused(rejection.msBeforeNext);
    log.warn("rate limiter failed; allowing the request", { kind, err: (rejection as Error)?.message });
    return { ok: true };
  }
}

// Several windows counted in one script, each exactly as rate-limiter-flexible's own script counts
// one (same keys, same expiry rule), so `refund` and single `consume` calls see the same counts.
// KEYS[i] is a window; ARGV[2i-1] the points to add, ARGV[2i] its length in seconds.
const COUNT_WINDOWS = `
local out = {}
for i, key in ipairs(KEYS) do
  local seconds = ARGV[2 * i]
  redis.call('set', key, 0, 'EX', seconds, 'NX')
  local consumed = redis.call('incrby', key, ARGV[2 * i - 1])
  local ttl = redis.call('pttl', key)
  if ttl == -1 then
    redis.call('expire', key, seconds)
    ttl = 1000 * seconds
  end
  out[2 * i - 1] = consumed
  out[2 * i] = ttl
end
return out
`;
type Counting = Redis & { inkwellCountWindows?: (keys: number, ...args: string[]) => Promise<number[]> };
const scripted = new WeakSet<Redis>();

function countingConnection(): Counting {
  const redis = limiterConnection() as Counting;
  if (!scripted.has(redis)) {
    redis.defineCommand("inkwellCountWindows", { lua: COUNT_WINDOWS });
    scripted.add(redis);
  }
  return redis;
}

/**
 * Counts one attempt against each of several limits in one round trip to Redis (a sign POST counts
 * three), with the same results as `consume` for each. When Redis is away or fails, each is counted
 * by its in-memory insurance limiter instead, as `consume` does. Never throws.
 */
export async function consumeAll<T extends [kind: LimitKind, key: string][]>(attempts: [...T]): Promise<{ [K in keyof T]: LimitResult }> {
  const results: LimitResult[] = attempts.map(() => ({ ok: true }));
  const counted = attempts.flatMap(([kind, key], i) => {
    const found = limit(kind);
    return found ? [{ i, rl: found.store, insurance: found.insurance, key: limiterKey(kind, key) }] : [];
  });
  const answer = results as { [K in keyof T]: LimitResult };
  if (counted.length === 0) return answer;
  await firstConnection();
  const redis = countingConnection();
  try {
    // Redis away (its connection logs that): counted in this process, as the limiters do.
    if (redis.status !== "ready") throw null;
    const args = counted.flatMap(({ rl }) => ["1", String(rl.duration)]);
    const reply = await redis.inkwellCountWindows!(counted.length, ...counted.map(({ rl, key }) => rl.getKey(key)), ...args);
    counted.forEach(({ i, rl }, k) => {
      if (reply[2 * k]! > rl.points) results[i] = refused(reply[2 * k + 1]!);
    });
  } catch (err) {
    if (err !== null) log.warn("rate limits not counted in Redis; counting in this process", { err: (err as Error)?.message });
    await Promise.all(counted.map(async ({ i, insurance, key }) => {
      try {
        await insurance.consume(key);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) results[i] = refused(rejection.msBeforeNext);
      }
    }));
  }
  return answer;
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
