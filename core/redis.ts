import { Redis, type RedisOptions } from "ioredis";
import { env as jobsEnv } from "./env";
import { log } from "./logger";

const globalForRedis = globalThis as unknown as { __inkwellProducerRedis?: Redis };

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
  return (globalForRedis.__inkwellProducerRedis ??= quietErrors(
    new Redis(jobsEnv().REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    }),
    "producer",
  ));
}

/** A new connection for a worker: blocking commands, retried forever. */
export function workerConnection(url = jobsEnv().REDIS_URL, extra: RedisOptions = {}): Redis {
  return quietErrors(new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (t) => Math.min(t * 250, 5_000), ...extra }), "worker");
}

/** Closes the producer connection (graceful shutdown). */
export async function closeProducerConnection(): Promise<void> {
  const redis = globalForRedis.__inkwellProducerRedis;
  globalForRedis.__inkwellProducerRedis = undefined;
  if (redis) await redis.quit().catch(() => redis.disconnect());
}
