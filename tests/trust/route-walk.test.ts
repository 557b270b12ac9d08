import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsubscribeRef } from "#emails/unsubscribe-link";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { hostileCases, rawRequest, watchHealth, type HostileCase } from "../support/hostile";
import { LETTER_ACTION } from "../support/letters";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { sign, supporter } from "../support/supporter";

// Every route file on disk is walked: a route someone adds meets the worst bodies without anyone remembering to.
const ROUTES_DIR = path.resolve("app/routes");
const files = readdirSync(ROUTES_DIR).filter((f) => /\.tsx?$/.test(f)).map((f) => f.replace(/\.tsx?$/, ""));
/** Workspace pages anyone may reach; every other `admin` route is walked signed in as an admin. */
const SIGNED_OUT = new Set(["admin_.sign-in", "admin_.forgot-password", "admin_.reset-password.$token", "admin_.sign-out"]);

// Generous on purpose (a busy 2-core CI machine): before the bounded reader one of these took minutes.
const TIME_CEILING_MS = 15_000;
const HEALTH_CEILING_MS = 15_000;
/** No answer to a hostile request may be larger than this (the largest page is a fraction of it). */
const SIZE_CEILING = 256 * 1024;
/** Body size of the walk's workspace cases: past every form's field bound, small enough to keep the walk quick. */
const WORKSPACE_WALK_BYTES = 256 * 1024;
const PUBLIC_BODY_BYTES = 64 * 1024;

const QUERIES = [
  "targets[30000000]=2",
  "ids[99999999]=1&q=x",
  `a${"[0]".repeat(1_500)}=1`,
  "%E0%A4%A=%ff%&q=%C0%AF&__proto__[x]=1",
  Array.from({ length: 1_500 }, (_, i) => `f${i}=1`).join("&"),
];

let p: TestPlatform;
let admin: SignedIn;
let leaver: SignedIn;
const params: Record<string, string> = {};

beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  const db = p.database.db;
  const campaign = await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
  const letter = await db.selectFrom("actions").select("id").where("slug", "=", LETTER_ACTION).executeTakeFirstOrThrow();
  const target = await db.selectFrom("action_targets").select("target_id").where("action_id", "=", letter.id).orderBy("position").executeTakeFirstOrThrow();
  const [a, l] = await Promise.all([createCampaigner(db, { role: "admin", tag: "walker" }), createCampaigner(db, { tag: "leaver" })]);
  [admin, leaver] = await Promise.all([signIn(p.url, a), signIn(p.url, l)]);
  const signer = supporter("walk");
  await sign(p, signer);
  const row = await db.selectFrom("supporters").select("id").where("email", "=", signer.email).executeTakeFirstOrThrow();
  const update = await db.insertInto("updates").values({ campaign_id: campaign.id, created_by: a.id }).returning("id").executeTakeFirstOrThrow();
  Object.assign(params, {
    slug: DEMO.campaign,
    action: DEMO.action,
    token: "A".repeat(43),
    ref: unsubscribeRef(row.id, campaign.id),
    id: String(campaign.id),
    actionId: String(letter.id),
    targetId: String(target.target_id),
    supporterId: String(row.id),
    updateId: String(update.id),
    deliveryId: "1",
    format: "csv",
    // Ids the walk has no row for: the routes must answer them with a 4xx like any garbage id.
    replyId: "1",
    outreachId: "1",
    signatureId: "1",
  });
});
afterAll(async () => p?.stop());

/** The URL of a route file, with real values for its parameters; a parameter without one fails the walk. */
function urlsOf(file: string): string[] {
  const segments = file.split(".").map((s) => s.replace(/_$/, "")).filter((s) => s !== "_index" && !s.startsWith("_") && s !== "");
  const fill = (over: Record<string, string>) =>
    `/${segments
      .map((s) => {
        if (s === "$") return "anything/at/all";
        if (!s.startsWith("$")) return s;
        const value = over[s.slice(1)] ?? params[s.slice(1)];
        if (value === undefined) throw new Error(`${file}: no value for $${s.slice(1)}; add one to the walk's params`);
        return value;
      })
      .join("/")}${file.endsWith("._index") ? "?index" : ""}`;
  // The sign route answers a petition and a letter differently: both are walked.
  return file === "campaigns.$slug.$action._index" ? [fill({}), fill({ action: LETTER_ACTION })] : [fill({})];
}

interface Who {
  headers: Record<string, string>;
  prefix: string;
  limit: number;
}
function visitor(file: string): Who {
  if (file === "admin_.sign-out") return { headers: { Cookie: leaver.cookie }, prefix: "csrf=wrong&", limit: PUBLIC_BODY_BYTES };
  if (file.startsWith("admin") && !SIGNED_OUT.has(file)) return { headers: { Cookie: admin.cookie }, prefix: `csrf=${encodeURIComponent(admin.csrf)}&`, limit: WORKSPACE_WALK_BYTES };
  return { headers: {}, prefix: "", limit: PUBLIC_BODY_BYTES };
}

describe("every route under the worst bodies, keys, content types and methods", () => {
  it("finds the routes, and every parameter they use has a value", () => {
    expect(files.length).toBeGreaterThan(40);
    for (const f of files) expect(() => urlsOf(f)).not.toThrow();
  });

  it("never answers 5xx, answers small and in time, and /healthz keeps answering", { timeout: 900_000 }, async () => {
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let requests = 0;
    let largest = { bytes: 0, what: "" };
    let slowest = { ms: 0, what: "" };
    const health = watchHealth(p.url);
    const check = async (url: string, c: Pick<HostileCase, "name" | "method" | "headers" | "body">, who: Who) => {
      const r = await rawRequest(p.url, url, { method: c.method, headers: { ...c.headers, ...who.headers }, body: c.body }, TIME_CEILING_MS * 2);
      requests += 1;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const what = `${c.method} ${url.slice(0, 80)} (${c.name})`;
      if (r.status === 0 || r.status >= 500) problems.push(`${what}: ${r.status || r.text} ${r.text.slice(0, 120)}`);
      if (r.bytes > SIZE_CEILING) problems.push(`${what}: answered ${r.bytes} bytes`);
      if (r.ms > TIME_CEILING_MS) problems.push(`${what}: took ${Math.round(r.ms)} ms`);
      if (r.bytes > largest.bytes) largest = { bytes: r.bytes, what };
      if (r.ms > slowest.ms) slowest = { ms: r.ms, what };
    };
    for (const file of files) {
      const who = visitor(file);
      const cases = hostileCases(who.limit, who.prefix);
      for (const url of urlsOf(file)) {
        for (const c of cases) await check(url, c, who);
        const sep = url.includes("?") ? "&" : "?";
        for (const q of QUERIES) await check(`${url}${sep}${q}`, { name: "a hostile query", method: "GET", headers: {} }, who);
      }
    }
    const h = await health.stop();
    console.info(`route walk: ${files.length} route files, ${requests} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}; largest answer ${largest.bytes} B (${largest.what}); slowest ${Math.round(slowest.ms)} ms (${slowest.what}); /healthz ${h.answers} answers, slowest ${Math.round(h.slowest)} ms`);
    expect(problems).toEqual([]);
    expect(h.failures).toBe(0);
    expect(h.slowest).toBeLessThan(HEALTH_CEILING_MS);
    expect(requests).toBeLessThan(4_000);
  });
});
