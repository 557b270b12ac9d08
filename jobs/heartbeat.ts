import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { log } from "#core/logger";

const keys = (prefix: string) => ({ beats: `${prefix}:workers:beats`, info: `${prefix}:workers:info` });

/** Entries silent for longer than this are dropped from the list (a stale worker stays visible until then). */
const FORGET_AFTER_MS = 60 * 60_000;

export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  lastBeat: string;
  ageMs: number;
  state: "live" | "stale";
}

export interface Heartbeat {
  id: string;
  stop(): Promise<void>;
}

/**
 * Writes this worker's heartbeat every `everyMs`: its last-beat time in a sorted set, its
 * description in a hash. A crashed worker stops beating and shows as stale; a stopped one
 * removes itself.
 */
export function startHeartbeat(redis: Redis, prefix: string, everyMs: number): Heartbeat {
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const { beats, info } = keys(prefix);
  const description = JSON.stringify({ host: hostname(), pid: process.pid, startedAt: new Date().toISOString() });
  let inFlight = false;
  let failing = false;
  const beat = async () => {
    if (inFlight) return; // a Redis that is down holds the previous beat; do not pile them up
    inFlight = true;
    try {
      const now = Date.now();
      await redis.multi().zadd(beats, now, id).hset(info, id, description).zremrangebyscore(beats, 0, now - FORGET_AFTER_MS).exec();
      if (failing) log.info("heartbeat written again", { worker: id });
      failing = false;
    } catch (err) {
      if (!failing) log.warn("heartbeat not written; this worker will show as stale", { worker: id, err: (err as Error).message });
      failing = true;
    } finally {
      inFlight = false;
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();
  return {
    id,
    async stop() {
      clearInterval(timer);
      // A Redis that is down must not hold up shutdown: the entry then just goes stale.
      const removed = redis.multi().zrem(beats, id).hdel(info, id).exec().catch(() => {});
      await Promise.race([removed, new Promise((r) => setTimeout(r, 1_000).unref())]);
    },
  };
}

/** The workers that wrote a heartbeat in the last hour; `stale` after three missed beats. */
export async function listWorkers(redis: Redis, prefix: string, everyMs: number): Promise<WorkerBeat[]> {
  const { beats, info } = keys(prefix);
  const now = Date.now();
  const entries = await redis.zrange(beats, now - FORGET_AFTER_MS, "+inf", "BYSCORE", "WITHSCORES");
  const ids = entries.filter((_, i) => i % 2 === 0);
  const described = ids.length ? await redis.hmget(info, ...ids) : [];
  return ids.map((id, i) => {
    const at = Number(entries[i * 2 + 1]);
    const d = JSON.parse(described[i] ?? "{}") as { host?: string; pid?: number; startedAt?: string };
    return {
      id,
      host: d.host ?? "?",
      pid: d.pid ?? 0,
      startedAt: d.startedAt ?? "?",
      lastBeat: new Date(at).toISOString(),
      ageMs: now - at,
      state: now - at <= everyMs * 3 ? "live" : "stale",
    };
  });
}

async function redisConfig(redis: Redis): Promise<{ policy?: string; aof?: boolean; rdb?: boolean }> {
  try {
    const [, policy] = (await redis.config("GET", "maxmemory-policy")) as string[];
    const [, aof] = (await redis.config("GET", "appendonly")) as string[];
    const [, save] = (await redis.config("GET", "save")) as string[];
    return { policy, aof: aof === "yes", rdb: (save ?? "").trim() !== "" };
  } catch {
    // Managed Redis often disables CONFIG; INFO still tells the policy and whether AOF is on.
    const text = (await redis.info("memory").catch(() => "")) + (await redis.info("persistence").catch(() => ""));
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(text)?.[1]?.trim();
    const aof = field("aof_enabled");
    return { policy: field("maxmemory_policy"), aof: aof === undefined ? undefined : aof === "1" };
  }
}

/**
 * Warns loudly when Redis may lose queued jobs: an eviction policy other than `noeviction`, or
 * neither AOF nor RDB persistence. Returns the warnings it logged.
 */
export async function warnIfRedisNotDurable(redis: Redis): Promise<string[]> {
  const { policy, aof, rdb } = await redisConfig(redis);
  const warnings: string[] = [];
  if (policy === undefined) {
    log.info("could not read the Redis configuration; make sure maxmemory-policy is noeviction and persistence is on");
  } else if (policy !== "noeviction") {
    warnings.push(`Redis maxmemory-policy is "${policy}", not "noeviction": under memory pressure Redis will silently drop queued jobs`);
  }
  if (aof === false && rdb === false) {
    warnings.push("Redis persistence is off (no AOF, no RDB snapshots): a Redis restart loses every queued job until the sweeper re-enqueues them");
  } else if (aof === false && rdb === undefined) {
    warnings.push("Redis AOF persistence is off and RDB snapshots could not be checked: a Redis restart may lose queued jobs");
  }
  for (const w of warnings) log.warn(w);
  return warnings;
}
