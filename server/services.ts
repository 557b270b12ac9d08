import { execSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";

async function postgresUp(url: string): Promise<boolean> {
  const target = new URL(url);
  target.pathname = "/postgres";
  const client = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether a Redis answers PING at `url`, trying once. */
export async function redisUp(url: string, connectTimeout = 2_000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

function isLocal(url: string): boolean {
  return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(new URL(url).hostname);
}

/**
 * Starts a local PostgreSQL and Redis when they are installed but down (a fresh dev machine).
 * Remote services are never touched: they only get a clear message.
 */
export async function ensureLocalServices(databaseUrl: string, redisUrl: string): Promise<void> {
  if (!(await postgresUp(databaseUrl))) {
    const versions = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql") : [];
    if (!isLocal(databaseUrl) || versions.length === 0) {
      throw new Error(`PostgreSQL is not reachable at DATABASE_URL (${new URL(databaseUrl).host}). Start it, or install it (apt-get install postgresql).`);
    }
    console.log("Starting PostgreSQL…");
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main start`, { stdio: "inherit" });
    if (!(await waitFor(() => postgresUp(databaseUrl), 20_000))) throw new Error("PostgreSQL did not come up.");
  }
  if (!(await redisUp(redisUrl))) {
    const port = new URL(redisUrl).port || "6379";
    if (!isLocal(redisUrl)) throw new Error(`Redis is not reachable at REDIS_URL (${new URL(redisUrl).host}).`);
    console.log("Starting Redis…");
    try {
      execSync(
        `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port ${port} --save "" --appendonly no --dir /tmp --logfile /tmp/inkwell-redis.log`,
        { stdio: "inherit" },
      );
    } catch {
      throw new Error("Redis is not running and could not be started. Install it (apt-get install redis-server).");
    }
    if (!(await waitFor(() => redisUp(redisUrl), 10_000))) throw new Error("Redis did not come up.");
  }
}
