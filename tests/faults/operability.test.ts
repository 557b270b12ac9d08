import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import getPort from "get-port";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHeartbeat, warnIfRedisNotDurable, type Heartbeat } from "#jobs/heartbeat";
import { redisUp } from "#server/services";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { metric, scrape as scrapeMetrics } from "./metrics";
import { SERVER_START } from "../support/processes";
import { mailTo, page, sign, supporter, tokenOf } from "../support/supporter";

let p: TestPlatform;
const logged: string[] = [];
let restoreStdout: () => void;
let lostBeat: Heartbeat | undefined;

beforeAll(async () => {
  process.env.HEARTBEAT_MS = "500";
  process.env.LOG_LEVEL = "info";
  const write = process.stdout.write.bind(process.stdout);
  // Log lines are kept for the assertions below instead of flooding the test output.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(chunk.toString());
    const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  restoreStdout = () => (process.stdout.write = write);
  p = await startTestPlatform();
});
afterAll(async () => {
  await lostBeat?.stop();
  restoreStdout?.();
  await p?.stop();
});

const scrape = () => scrapeMetrics(p.url);

describe("request ids and request logs", () => {
  it("echoes a safe incoming X-Request-Id and replaces an unsafe or missing one", async () => {
    const kept = await fetch(`${p.url}/privacy`, { headers: { "X-Request-Id": "lb-4f2a9c1e-77" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-4f2a9c1e-77");
    const unsafe = await fetch(`${p.url}/privacy`, { headers: { "X-Request-Id": "x\"><script>alert(1)</script>" } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const none = await fetch(`${p.url}/privacy`);
    expect(none.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers.get("x-request-id")).not.toBe(unsafe.headers.get("x-request-id"));
  });

  it("logs method, route, status and duration, never a token, a query string, an email or an address", async () => {
    const who = supporter("logs");
    await sign(p, who);
    const token = tokenOf(await mailTo(p, who.email));
    await fetch(`${p.url}/confirm/${token}?utm_source=${encodeURIComponent(who.email)}`, { headers: { "X-Request-Id": "confirm-req-0001" } });
    await fetch(`${p.url}/letters/some-letter-reference-1234567890?sig=abc`);
    const lines = await eventually(async () => {
      const found = logged.join("").split("\n").filter((l) => l.includes("confirm-req-0001"));
      return found.length > 0 && logged.join("").includes('"route":"/letters/:ref"') && found;
    }, 5_000, "the request log lines");
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "info", msg: "request", reqId: "confirm-req-0001", method: "GET", route: "/confirm/:token", path: "/confirm/:token", status: 200 });
    expect(typeof line.durationMs).toBe("number");
    const all = logged.join("");
    expect(all).toContain('"route":"/letters/:ref","path":"/letters/:ref"');
    expect(all).toContain('"route":"/campaigns/:slug/:action","path":"/campaigns/peru-innocent-prisoners/free-the-innocent"');
    for (const secret of [token, who.email, who.name, "some-letter-reference", "utm_source", "127.0.0.1", "?", "remoteAddress", "user-agent"]) {
      expect(all.split("\n").filter((l) => l.includes('"msg":"request"')).join("\n")).not.toContain(secret);
    }
  });
});

describe("/metrics", () => {
  it("answers loopback, and only a matching bearer token once METRICS_TOKEN is set", async () => {
    expect((await fetch(`${p.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${p.url}/metrics`, { headers: { "X-Forwarded-For": "203.0.113.9" } })).status).toBe(403);
    process.env.METRICS_TOKEN = "a-long-enough-metrics-token";
    try {
      expect((await fetch(`${p.url}/metrics`)).status).toBe(403);
      expect((await fetch(`${p.url}/metrics`, { headers: { Authorization: "Bearer wrong-token-of-the-same-size" } })).status).toBe(403);
      const ok = await fetch(`${p.url}/metrics`, { headers: { Authorization: "Bearer a-long-enough-metrics-token" } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toContain("text/plain");
    } finally {
      delete process.env.METRICS_TOKEN;
    }
  });

  it("counts accepted signatures and confirmation emails, and shows queue depths, job latency and request durations", async () => {
    const before = await scrape();
    const who = supporter("metrics");
    await sign(p, who);
    await mailTo(p, who.email);
    const after = await eventually(async () => {
      const text = await scrape();
      return metric(text, 'inkwell_emails_sent_total{kind="confirmation"}') > metric(before, 'inkwell_emails_sent_total{kind="confirmation"}') && text;
    }, 5_000, "the email counter");
    expect(metric(after, "inkwell_signatures_accepted_total") - metric(before, "inkwell_signatures_accepted_total")).toBe(1);
    expect(metric(after, 'inkwell_emails_sent_total{kind="confirmation"}') - metric(before, 'inkwell_emails_sent_total{kind="confirmation"}')).toBe(1);
    // Exported before anything fails, and nothing failed here (earlier files in this process may have counted failures).
    const failed = 'inkwell_emails_failed_total{kind="delivery",failure="permanent"}';
    expect(before.split("\n").some((line) => line.startsWith(`${failed} `))).toBe(true);
    expect(metric(after, failed) - metric(before, failed)).toBe(0);
    for (const queue of ["mail", "delivery", "maintenance"]) {
      for (const state of ["waiting", "active", "delayed", "failed"]) expect(after).toContain(`inkwell_queue_jobs{queue="${queue}",state="${state}"}`);
    }
    expect(after).toMatch(/inkwell_job_duration_seconds_count\{queue="mail",job="send-confirmation",outcome="completed"\} [1-9]/);
    expect(after).toMatch(/inkwell_job_wait_seconds_count\{queue="mail",job="send-confirmation"\} [1-9]/);
    expect(after).toMatch(/inkwell_http_request_duration_seconds_count\{method="POST",route="\/campaigns\/:slug\/:action",status="302"\} [1-9]/);
    expect(after).not.toContain(who.email);
  });

  it("is served by a worker on METRICS_PORT, to loopback only", async () => {
    const port = await getPort({ host: "127.0.0.1" });
    const worker = spawn(process.execPath, [SERVER_START, "--worker"], {
      env: { ...process.env, METRICS_PORT: String(port), LOG_LEVEL: "silent" },
      stdio: "ignore",
    });
    try {
      const text = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
        return res?.status === 200 && res.text();
      }, 30_000, "the worker's metrics");
      expect(text).toContain("inkwell_queue_jobs");
      expect(text).toContain("inkwell_emails_sent_total");
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await stop(worker);
    }
  });
});

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

describe("worker heartbeats", () => {
  it("shows live workers in /readyz, and a worker that stopped beating as stale", async () => {
    const ready = await page(`${p.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = JSON.parse(ready.html) as { checks: unknown; workers: { live: number; stale: unknown[] } };
    expect(body.checks).toEqual({ postgres: "ok", redis: "ok" });
    expect(body.workers).toEqual({ live: 1, stale: [] });

    // A worker cut off (or killed) mid-life: its last beat stays and ages.
    const lost = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    const beat = (lostBeat = startHeartbeat(lost, p.prefix, 500));
    await eventually(async () => (JSON.parse((await page(`${p.url}/readyz`)).html) as typeof body).workers.live === 2, 5_000, "two live workers");
    lost.disconnect();
    const stale = await eventually(async () => {
      const w = (JSON.parse((await page(`${p.url}/readyz`)).html) as { workers: { live: number; stale: { id: string }[] } }).workers;
      return w.stale.length === 1 && w;
    }, 5_000, "a stale worker");
    expect(stale.live).toBe(1);
    expect(stale.stale[0]!.id).toBe(beat.id);
  });

  it("lists workers with `npm run cli -- workers`", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "server/cli.ts", "workers"], { env: process.env });
    expect(stdout).toMatch(/^live\s+\S+-\d+-[0-9a-f]{6}\s+last beat \d+ s ago/m);
    expect(stdout).toMatch(/^stale\s+\S+/m);
  });
});

/** A throwaway redis-server with the given settings. */
async function ownRedis(args: string[]) {
  const port = await getPort({ host: "127.0.0.1" });
  const dir = mkdtempSync(path.join(tmpdir(), "inkwell-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, ...args], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  await eventually(() => redisUp(url, 500), 10_000, "redis-server");
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  return {
    redis,
    async stop() {
      redis.disconnect();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("the Redis durability check at worker start", () => {
  it("warns when persistence is off, and is quiet for a durable, non-evicting Redis", async () => {
    const loose = await ownRedis(["--save", "", "--appendonly", "no"]);
    const durable = await ownRedis(["--save", "", "--appendonly", "yes", "--maxmemory-policy", "noeviction"]);
    try {
      expect(await warnIfRedisNotDurable(loose.redis)).toEqual([expect.stringContaining("persistence is off")]);
      expect(await warnIfRedisNotDurable(durable.redis)).toEqual([]);
    } finally {
      await loose.stop();
      await durable.stop();
    }
  });

  it("warns about an evicting policy, reading INFO when CONFIG is disabled (as on managed Redis)", async () => {
    const managed = await ownRedis(["--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru", "--rename-command", "CONFIG", ""]);
    try {
      await expect(managed.redis.config("GET", "save")).rejects.toThrow();
      const warnings = await warnIfRedisNotDurable(managed.redis);
      expect(warnings).toEqual([expect.stringContaining('"allkeys-lru"'), expect.stringContaining("AOF persistence is off")]);
    } finally {
      await managed.stop();
    }
  });
});
