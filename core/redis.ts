import { Redis, type RedisOptions } from "ioredis";
import { env as jobsEnv } from "./env";
import { log } from "./logger";

const globalForRedis = globalThis as unknown as { __inkwellProducerRedis?: Redis; __inkwellLimiterRedis?: Redis };

const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  retryStrategy: (times) => Math.min(times * 200, 2_000),
};

function quietErrors(redis: Redis, role: string): Redis {
  // ioredis reconnects by itself; an unhandled 'error' event would crash the process instead.
  let last = 0;
  redis.on("error", (err) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    log.warn("redis unavailable", { role, err: err.message });
  });
  return redis;
}

/**
 * The connection request handlers enqueue through. It fails fast while Redis is down
 * (no offline queue, one try per command) so a request never waits on Redis.
 */
export function producerConnection(): Redis {
  return (globalForRedis.__inkwellProducerRedis ??= quietErrors(new Redis(jobsEnv().REDIS_URL, FAIL_FAST), "producer"));
}

/**
 * The connection rate limits are counted through: failing fast like the producer's, and with the
 * commands of one event-loop turn sent together in one write (a sign POST counts three limits at
 * once, and concurrent requests share the write). Kept apart from the queues' connection, which
 * BullMQ drives with its own pipelines and transactions.
 */
export function limiterConnection(): Redis {
  return (globalForRedis.__inkwellLimiterRedis ??= quietErrors(new Redis(jobsEnv().REDIS_URL, { ...FAIL_FAST, enableAutoPipelining: true }), "limiter"));
}

/** A new connection for a worker: blocking commands, retried forever. */
export function workerConnection(url = jobsEnv().REDIS_URL, extra: RedisOptions = {}): Redis {
  return quietErrors(new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (t) => Math.min(t * 250, 5_000), ...extra }), "worker");
}

/** Closes the producer and limiter connections (graceful shutdown). */
export async function closeProducerConnection(): Promise<void> {
  const open = [globalForRedis.__inkwellProducerRedis, globalForRedis.__inkwellLimiterRedis];
  globalForRedis.__inkwellProducerRedis = globalForRedis.__inkwellLimiterRedis = undefined;
  await Promise.all(open.map((redis) => redis?.quit().catch(() => redis.disconnect())));
}
