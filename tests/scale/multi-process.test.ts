import { spawn, type ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import getPort from "get-port";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverActionJob } from "#jobs/definitions";
import { csvOf, letterAction, OFFICIALS } from "../support/letters";
import { confirmLink, DEMO, eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailSettled } from "../support/supporter";
import { SERVER_START } from "../support/processes";

const SIGNERS = 40;
const WRITERS = 16;
const HIGH = "1000000000";

interface Child {
  process: ChildProcess;
  url?: string;
}

/** The compiled server with `--web` or `--worker` as its own process, as production runs it; resolves once it is ready. */
async function start(p: TestPlatform, role: "--web" | "--worker", port = 0): Promise<Child> {
  const child = spawn(process.execPath, [SERVER_START, role], {
    env: {
      ...process.env,
      DATABASE_URL: p.database.url, QUEUE_PREFIX: p.prefix, SMTP_URL: p.smtp.url, PORT: String(port), WEB_CONCURRENCY: "1",
      LOG_LEVEL: "info", JOB_LOCK_MS: "5000",
      // Every request comes from 127.0.0.1: the abuse limits would rightly stop this crowd.
      RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: HIGH, RATE_LIMIT_LETTER_PER_IP_PER_MINUTE: HIGH, SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: HIGH,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = role === "--web" ? /Inkwell is running/ : /"msg":"worker started"/;
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4_000);
      if (ready.test(seen)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${role} exited with ${code}: ${seen.slice(-500)}`)));
  });
  return { process: child, url: role === "--web" ? `http://127.0.0.1:${port}` : undefined };
}

function postLetterTo(url: string, fields: Record<string, string>, targets: number[]) {
  const body = new URLSearchParams(fields);
  for (const t of targets) body.append("targets", String(t));
  return fetch(`${url}/campaigns/${DEMO.campaign}/write-to-the-minister`, {
    method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: body.toString(),
  });
}

describe("two web and two worker processes on one database and Redis", () => {
  let p: TestPlatform;
  const children: Child[] = [];

  beforeAll(async () => {
    p = await startTestPlatform({ web: false, worker: false });
    const ports = [await getPort({ host: "127.0.0.1" }), await getPort({ host: "127.0.0.1" })];
    process.env.APP_URL = `http://127.0.0.1:${ports[0]}`;
    children.push(...(await Promise.all([start(p, "--web", ports[0]), start(p, "--web", ports[1]), start(p, "--worker"), start(p, "--worker")])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.process.exitCode !== null) return resolve();
      c.process.once("exit", () => resolve());
      c.process.kill("SIGTERM");
    })));
    await p?.stop();
  }, 60_000);

  it("signs, confirms, counts and delivers every supporter exactly once", async () => {
    const [a, b] = children.filter((c) => c.url).map((c) => c.url!);
    const ids = await letterAction(p);
    const tag = `${process.pid}-${Date.now()}`;
    const signers = Array.from({ length: SIGNERS }, (_, i) => ({ name: `Signer ${i}`, email: `mp-s${i}.${tag}@example.org`, country: "PE" }));
    const writers = Array.from({ length: WRITERS }, (_, i) => ({
      name: `Writer ${i}`, email: `mp-w${i}.${tag}@example.org`, country: "GB", subject: `Letter ${i}`, body: `Free the innocent prisoners (letter ${i}).`,
    }));

    // Every signer submits twice at once, once to each web process; writers alternate between them.
    const responses = await Promise.all([
      ...signers.flatMap((s) => [postSign(a!, s), postSign(b!, s)]),
      ...writers.map((w, i) => postLetterTo(i % 2 ? a! : b!, w, [ids.justice, ids.pardons])),
    ]);
    expect(responses.map((r) => r.status).filter((s) => s !== 302)).toEqual([]);

    const people = [...signers, ...writers];
    const rows = await p.database.db
      .selectFrom("signatures as s").innerJoin("supporters as u", "u.id", "s.supporter_id")
      .select("u.email").where("u.email", "in", people.map((x) => x.email)).execute();
    expect(rows.map((r) => r.email).sort()).toEqual(people.map((x) => x.email).sort());

    // Every email asked for is handled once. Signing twice at once asks for two; when the second goes
    // out first, the first is superseded (its link would be the older one), so one or two arrive,
    // the last one asked for always among them, and no Message-ID twice.
    await mailSettled(p, 60_000);
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate would arrive about now
    const sent = await p.database.db
      .selectFrom("signatures as s").innerJoin("supporters as u", "u.id", "s.supporter_id")
      .select(["u.email", "s.id", "s.emails_requested", "s.emails_sent"]).where("u.email", "in", people.map((x) => x.email)).execute();
    const confirmations = p.smtp.messages.filter((m) => m.to.includes(tag));
    expect(new Set(confirmations.map((m) => m.messageId)).size).toBe(confirmations.length);
    for (const row of sent) {
      expect(row.emails_sent).toBe(row.emails_requested);
      const received = p.smtp.to(row.email).map((m) => m.messageId);
      expect(received.length).toBeGreaterThanOrEqual(1);
      expect(received.length).toBeLessThanOrEqual(row.emails_requested);
      expect(received.some((id) => id.startsWith(`<confirm.${row.id}.${row.emails_requested}@`))).toBe(true);
    }

    // Confirm through either web process, whichever the link names.
    const confirmed = await Promise.all(people.map((person, i) => {
      const link = confirmLink(p.smtp.to(person.email)[0]!.text).replace(a!, i % 2 ? a! : b!);
      return fetch(link, { method: "POST", redirect: "manual" });
    }));
    expect(confirmed.map((r) => r.status).filter((s) => s !== 302)).toEqual([]);

    // The workers fold the confirmations: the public counts match exactly, read through both web processes.
    for (const url of [a!, b!]) {
      await eventually(async () => {
        const body = (await (await fetch(`${url}/api/campaigns/${DEMO.campaign}`)).json()) as { actions: { slug: string; count: number }[] };
        const count = (slug: string) => body.actions.find((x) => x.slug === slug)?.count;
        return count(DEMO.action) === SIGNERS && count("write-to-the-minister") === WRITERS;
      }, 30_000, "the counts");
    }

    // Two deliveries asked at once, each may land on either worker: each official gets each letter once.
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = new Queue(deliverActionJob.queue, { connection: redis, prefix: p.prefix });
    await Promise.all([1, 2].map((n) => queue.add(deliverActionJob.name, { actionId: ids.actionId, trigger: "manual" }, { jobId: `mp-deliver-${n}` })));
    for (const official of [OFFICIALS.justice, OFFICIALS.pardons]) {
      const names = await eventually(async () => {
        const got = p.smtp.to(official).flatMap((m) => csvOf(m).slice(1).map((r) => r[0]));
        return got.length >= WRITERS ? got : null;
      }, 60_000, `letters to ${official}`);
      await new Promise((r) => setTimeout(r, 500));
      const all = p.smtp.to(official).flatMap((m) => csvOf(m).slice(1).map((r) => r[0]));
      expect(all).toHaveLength(WRITERS);
      expect(new Set(all)).toEqual(new Set(writers.map((w) => w.name)));
      expect(names).toHaveLength(WRITERS);
    }
    await queue.close();
    await redis.quit();
  }, 180_000);
});
