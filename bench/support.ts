import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { migrateToLatest } from "#db/migrate";

export const ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh, migrated database for one benchmark. */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await migrateToLatest(url.toString());
  return url.toString();
}

/** Drops a benchmark database. */
export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

/** An SMTP server on loopback that accepts and discards everything, counting messages and bytes. */
export async function startSink(): Promise<{ url: string; messages: () => number; bytes: () => number; close: () => Promise<void> }> {
  let messages = 0;
  let bytes = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 50 * 1024 * 1024,
    onData(stream, _s, cb) {
      stream.on("data", (c: Buffer) => (bytes += c.length));
      stream.on("end", () => {
        messages += 1;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: () => messages,
    bytes: () => bytes,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The production entry: the compiled server when `npm run build` made it, else the TypeScript source. */
export const SERVER_ENTRY = existsSync("build/server/start.js") ? "build/server/start.js" : "server/start.ts";

/** How node runs a file: compiled JavaScript as it is, TypeScript through tsx. */
const loader = (file: string) => (file.endsWith(".js") ? [] : ["--import", "tsx"]);

/** Runs a TypeScript file in its own process and returns the last JSON line it prints. */
export async function runChild<T>(file: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...loader(file), file], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").filter((l) => l.startsWith("{")).at(-1);
      if (code !== 0 || !line) reject(new Error(`${file} exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

/** Samples this process's resident memory until stopped; returns the peak in MB. */
export function rssSampler(intervalMs = 25): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round((peak / 1024 / 1024) * 10) / 10;
    },
  };
}

export interface Running {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `node [--import tsx] <file> <args>` as a child process and resolves once a line of its
 * stdout matches `ready`. Stops it with SIGTERM (its graceful shutdown), then SIGKILL after 20 s.
 */
export async function startProcess(file: string, args: string[], env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [...nodeArgs, ...loader(file), file, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${file} ${args.join(" ")} did not start: ${seen.slice(-500)}`)), 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4_000);
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before it was ready: ${seen.slice(-500)}`)));
  });
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `check` returns true, polling every `ms`; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, ms = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, ms));
  }
}

/** Removes every Redis key under the given queue prefixes (jobs the benchmark queued and left). */
export async function deleteQueueKeys(redisUrl: string, prefixes: string[]): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of prefixes) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== "0");
    }
  } finally {
    redis.disconnect();
  }
}
