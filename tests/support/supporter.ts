import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { sql } from "kysely";
import type { DB } from "#db/client";
import { normaliseEmail } from "#core/rules";
import { DEMO, confirmLink, eventually, postSign, type TestPlatform } from "./platform";
import type { CapturedMail } from "./smtp";

export const ACTION_PATH = `/campaigns/${DEMO.campaign}/${DEMO.action}`;
export const SENT_PATH = `${ACTION_PATH}/sent`;

let serial = 0;
/** Form fields of a new supporter with an address no other test in the file uses. */
export function supporter(tag: string, extra: Record<string, string> = {}): Record<string, string> & { name: string; email: string } {
  serial += 1;
  // "s<n>." starts every address, so no address is a substring of another (SmtpCapture.to matches substrings).
  return { name: `Supporter ${tag}`, email: `s${serial}.${tag}.${process.pid}@example.org`, country: "PE", ...extra };
}

/** Signs and checks the supporter was sent to the "check your email" page. */
export async function sign(p: TestPlatform, fields: Record<string, string>, headers: Record<string, string> = {}, action: string = DEMO.action) {
  const path = `/campaigns/${DEMO.campaign}/${action}`;
  const res = await postSign(p.url, fields, path, headers);
  if (res.status !== 302 || res.headers.get("location") !== `${path}/sent`) {
    throw new Error(`sign failed: ${res.status} ${res.headers.get("location")} ${(await res.text()).slice(0, 300)}`);
  }
  return res;
}

/** Waits for email number `n` (from 1) addressed to `email`. */
export async function mailTo(p: TestPlatform, email: string, n = 1): Promise<CapturedMail> {
  return eventually(async () => p.smtp.to(email)[n - 1], 15_000, `email ${n} to ${email}`);
}

/** Signs as a new supporter and returns the confirmation link from the email that arrives. */
export async function signAndGetLink(p: TestPlatform, fields: Record<string, string>, action: string = DEMO.action) {
  await sign(p, fields, {}, action);
  return confirmLink((await mailTo(p, fields.email!)).text);
}

/** The signature (and supporter address) for an email address, however it was typed. */
export async function signatureOf(db: DB, email: string) {
  return db
    .selectFrom("signatures as s")
    .innerJoin("supporters as p", "p.id", "s.supporter_id")
    .selectAll("s")
    .select("p.email")
    .where("p.email", "=", normaliseEmail(email))
    .executeTakeFirst();
}

/** How many rows a supporter-facing write could have touched. */
export async function rowCounts(db: DB) {
  const { rows } = await sql<{ supporters: number; signatures: number; consents: number; tokens: number }>`
    select (select count(*) from supporters)::int as supporters, (select count(*) from signatures)::int as signatures,
           (select count(*) from consents)::int as consents, (select count(*) from tokens)::int as tokens
  `.execute(db);
  return rows[0]!;
}

/** The token in a confirmation email's link. */
export function tokenOf(mail: CapturedMail): string {
  return confirmLink(mail.text).split("/confirm/")[1]!;
}

/** Fetches a page without following redirects; returns status, headers and body text. */
export async function page(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { redirect: "manual", ...init });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** POSTs a confirmation link as the button on the confirm page does. */
export function postConfirm(link: string) {
  return fetch(link, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
}

/** The message shown next to a form field in rendered HTML (Conform's `…-field-error` element). */
export function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`id="[^"]*-${field}-error"[^>]*>([^<]*)<`).exec(html)?.[1] || undefined;
}

/** The confirmed count of an action as the public API reports it. */
export async function apiCount(baseUrl: string, action: string = DEMO.action): Promise<number | undefined> {
  const body = (await (await fetch(`${baseUrl}/api/campaigns/${DEMO.campaign}`)).json()) as { actions: { slug: string; count: number }[] };
  return body.actions.find((a) => a.slug === action)?.count;
}

/** Runs `fn` with a BullMQ handle on one of the platform's queues (its own Redis and prefix). */
export async function withQueue<T>(p: TestPlatform, name: string, fn: (q: Queue) => Promise<T>): Promise<T> {
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const q = new Queue(name, { connection, prefix: p.prefix });
  try {
    return await fn(q);
  } finally {
    await q.close();
    connection.disconnect();
  }
}

/**
 * Waits until every confirmation email the database asked for has gone out and the mail queue is
 * empty, so a test can then assert that no further email arrives.
 */
export async function mailSettled(p: TestPlatform, timeoutMs = 15_000): Promise<void> {
  await eventually(async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from signatures where status = 'pending' and emails_sent < emails_requested
    `.execute(p.database.db);
    if (rows[0]!.n > 0) return false;
    const counts = await withQueue(p, "mail", (q) => q.getJobCounts("waiting", "active", "delayed", "prioritized"));
    return Object.values(counts).every((n) => n === 0);
  }, timeoutMs, "confirmation emails to settle");
}

/** Every value stored in Redis under the platform's queue prefix, as text. */
export async function redisDump(p: TestPlatform): Promise<string> {
  const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  const out: string[] = [];
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${p.prefix}:*`, "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === "string") out.push((await redis.get(key)) ?? "");
        else if (type === "hash") out.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === "list") out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === "set") out.push(JSON.stringify(await redis.smembers(key)));
        else if (type === "zset") out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === "stream") out.push(JSON.stringify(await redis.xrange(key, "-", "+")));
        out.push(key);
      }
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return out.join("\n");
}
