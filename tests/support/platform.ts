import { randomBytes } from "node:crypto";
import getPort from "get-port";
import { Redis } from "ioredis";
import { seedDemo } from "#db/seed";
import { deliveryTickJob, foldCountersJob, reconcileCountersJob, sweepSignaturesJob } from "#jobs/definitions";
import { startPlatform, type Platform } from "#server/platform";
import { createTestDatabase, type TestDatabase } from "./db";
import { startSmtpCapture, type SmtpCapture } from "./smtp";

export const DEMO = { campaign: "peru-innocent-prisoners", action: "free-the-innocent" } as const;

export interface TestPlatform {
  url: string;
  database: TestDatabase;
  smtp: SmtpCapture;
  prefix: string;
  platform: Platform;
  stop(): Promise<void>;
}

export interface TestPlatformOptions {
  web?: boolean;
  worker?: boolean;
  redisUrl?: string;
  /** Seed the demo campaign (default true). */
  seed?: boolean;
  /** A database of the test's own (e.g. on a cluster it stops); default: a clone of the run's template. */
  database?: TestDatabase;
  /**
   * Count rate limits and holds as a deployment does (default false: RATE_LIMITS=off, so a test
   * that signs many times from 127.0.0.1 is not refused). Tests of the limits set it.
   */
  limits?: boolean;
}

/**
 * Starts the real platform in this test process: its own database (cloned from the migrated
 * template), its own queue prefix, a capturing SMTP server on loopback, web and worker on a
 * free port. Intervals are shortened so counters and sweeps happen within a test.
 */
export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const database = options.database ?? (await createTestDatabase());
  if (options.seed ?? true) await seedDemo(database.db);
  const smtp = await startSmtpCapture();
  const port = await getPort({ host: "127.0.0.1" });
  const prefix = `t${randomBytes(4).toString("hex")}`;
  const redisUrl = options.redisUrl ?? process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "10",
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    SMTP_URL: smtp.url,
    APP_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    SESSION_SECRET: "test-secret-test-secret-test-secret",
    MAIL_FROM: "Inkwell Test <campaigns@inkwell.test>",
    SWEEP_GRACE_MS: "1000",
    RATE_LIMITS: options.limits ? "on" : "off",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  });
  const platform = await startPlatform({
    web: options.web ?? true,
    worker: options.worker ?? true,
    port,
    host: "127.0.0.1",
    workerOptions: {
      redisUrl,
      prefix,
      schedules: [
        { def: foldCountersJob, every: 500 },
        { def: sweepSignaturesJob, every: 1_000 },
        { def: deliveryTickJob, every: 1_000 },
        { def: reconcileCountersJob, every: 60_000 },
      ],
    },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    smtp,
    prefix,
    platform,
    async stop() {
      await platform.stop();
      await smtp.close();
      await database.drop();
      await deleteQueueKeys(redisUrl, prefix);
    },
  };
}

/** Removes every Redis key under a test's queue prefix. */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } catch {
    // A Redis a test has stopped on purpose has nothing left to clean.
  } finally {
    redis.disconnect();
  }
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The confirmation link in a captured email's plain text. */
export function confirmLink(text: string): string {
  const match = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(text);
  if (!match) throw new Error("no confirmation link in the email");
  return match[0];
}

/** Submits the sign form as a browser without JavaScript would. */
export async function postSign(baseUrl: string, fields: Record<string, string>, path = `/campaigns/${DEMO.campaign}/${DEMO.action}`, headers: Record<string, string> = {}) {
  return fetch(baseUrl + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
