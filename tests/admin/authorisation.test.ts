import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { sign, supporter } from "../support/supporter";

// Every workspace route, found from its file: a route someone adds is walked without touching this test.
const ROUTES_DIR = path.resolve("app/routes");
const files = readdirSync(ROUTES_DIR).filter((f) => /^admin[._]/.test(f) && /\.tsx?$/.test(f)).map((f) => f.replace(/\.tsx?$/, ""));
const PUBLIC = new Set(["admin_.sign-in", "admin_.forgot-password", "admin_.reset-password.$token", "admin_.sign-out", "admin_.sign-in_.code"]);
const ADMIN_ONLY = new Set(["admin.campaigners", "admin.audit", "admin.security"]);
/** Pages every signed-in campaigner opens for their own things only (their notices, account, keys): 200 for anyone signed in. */
const PERSONAL = new Set(["admin.notices", "admin.account", "admin.api-keys"]);
/** Query strings some resource routes need to answer 200. */
const QUERY: Record<string, string> = { "admin.campaigns.$id.actions.$actionId.letter-preview": "targetId=$targetId&language=en" };

interface Route {
  file: string;
  /** The URL pattern, with `$param` segments. */
  pattern: string;
  index: boolean;
  hasAction: boolean;
  campaignScoped: boolean;
  adminOnly: boolean;
}

function toRoute(file: string): Route {
  const segments = file.split(".").map((s) => s.replace(/_$/, "")).filter((s) => s !== "_index" && !s.startsWith("_"));
  const source = readFileSync(path.join(ROUTES_DIR, `${file}${existsTs(file) ? ".ts" : ".tsx"}`), "utf8");
  return {
    file,
    pattern: `/${segments.join("/")}`,
    index: file.endsWith("._index"),
    hasAction: /export\s+(async\s+)?(function|const)\s+action\b/.test(source),
    campaignScoped: segments.includes("$id"),
    adminOnly: ADMIN_ONLY.has(file),
  };
}
function existsTs(file: string): boolean {
  return readdirSync(ROUTES_DIR).includes(`${file}.ts`);
}
const routes = files.filter((f) => !PUBLIC.has(f)).map(toRoute);

let p: TestPlatform;
let owner: SignedIn;
let other: SignedIn;
let admin: SignedIn;
const params: Record<string, string> = {};

beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  const db = p.database.db;
  const campaign = await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
  const letter = await db.selectFrom("actions").select("id").where("campaign_id", "=", campaign.id).where("kind", "=", "letter").orderBy("id").executeTakeFirstOrThrow();
  const target = await db.selectFrom("action_targets").select("target_id").where("action_id", "=", letter.id).orderBy("position").executeTakeFirstOrThrow();
  const [o, x, a] = await Promise.all([
    createCampaigner(db, { campaignIds: [campaign.id], tag: "owner" }),
    createCampaigner(db, { tag: "other" }),
    createCampaigner(db, { role: "admin", tag: "admin" }),
  ]);
  [owner, other, admin] = await Promise.all([signIn(p.url, o), signIn(p.url, x), signIn(p.url, a)]);
  const signer = supporter("matrix");
  await sign(p, signer);
  const supporterRow = await db.selectFrom("supporters").select("id").where("email", "=", signer.email).executeTakeFirstOrThrow();
  const update = await db.insertInto("updates").values({ campaign_id: campaign.id, created_by: o.id }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("update_translations").values({ update_id: update.id, language: "en", subject: "News from Lima", body_markdown: "Two prisoners were freed." }).execute();
  const delivery = await db
    .insertInto("deliveries")
    .values({ action_id: letter.id, target_id: target.target_id, seq: 1, status: "sent", items: 0, items_to_date: 0, parts: 1, trigger: "manual", sent_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("delivery_parts").values({ delivery_id: delivery.id, part: 1, first_signature_id: 0, last_signature_id: 0, items: 0, message_id: "<matrix@inkwell.test>", sent_at: new Date() }).execute();
  const reply = await db.insertInto("official_replies").values({
    delivery_id: delivery.id, target_id: target.target_id, campaign_id: campaign.id, message_id: "<reply-matrix@minjus-pe.example>",
    from_address: "ministro@minjus-pe.example", subject: "Re: letters", body_text: "We have received your letters.",
  }).returning("id").executeTakeFirstOrThrow();
  Object.assign(params, {
    replyId: String(reply.id),
    id: String(campaign.id),
    actionId: String(letter.id),
    targetId: String(target.target_id),
    supporterId: String(supporterRow.id),
    updateId: String(update.id),
    deliveryId: String(delivery.id),
    format: "csv",
  });
});
afterAll(async () => p?.stop());

/** A route's URL with real ids; a parameter this test has no value for fails the test, so new routes get one. */
function urlOf(route: Route, override: Record<string, string> = {}): string {
  const fill = (s: string) =>
    s.replace(/\$([A-Za-z]+)/g, (_m, name: string) => {
      const value = override[name] ?? params[name];
      if (value === undefined) throw new Error(`${route.file}: no value for the route parameter $${name}; add one to the params map`);
      return value;
    });
  const query = [QUERY[route.file] ? fill(QUERY[route.file]!) : "", route.index ? "index" : ""].filter(Boolean).join("&");
  return fill(route.pattern) + (query ? `?${query}` : "");
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  redirect: "manual" as const,
  headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "" },
  body: new URLSearchParams(fields),
});

describe("authorisation over every workspace route", () => {
  it("finds the workspace routes and every parameter they use has a value", () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) expect(() => urlOf(r)).not.toThrow();
    for (const f of PERSONAL) expect(routes.find((r) => r.file === f), f).toMatchObject({ campaignScoped: false, adminOnly: false });
  });

  it.each(routes.map((r) => [r.file, r] as const))("GET %s: anonymous → sign in, stranger → 404 where scoped, owner and admin → 200", async (_f, route) => {
    const url = urlOf(route);
    const problems: string[] = [];
    const expectStatus = (who: string, got: number, want: number) => {
      if (got !== want) problems.push(`${who} got ${got}, wanted ${want}`);
    };
    const anonymous = await fetch(`${p.url}${url}`, { redirect: "manual" });
    expectStatus("anonymous", anonymous.status, 302);
    if (!anonymous.headers.get("location")?.startsWith("/admin/sign-in")) problems.push(`anonymous sent to ${anonymous.headers.get("location")}`);
    expectStatus("another campaigner", (await other.fetch(url)).status, route.campaignScoped || route.adminOnly ? 404 : 200);
    expectStatus("owner", (await owner.fetch(url)).status, route.adminOnly ? 404 : 200);
    expectStatus("admin", (await admin.fetch(url)).status, 200);
    expect(problems, `${url}`).toEqual([]);
  });

  it.each(routes.map((r) => [r.file, r] as const))("POST %s: never 200 or 5xx without a session, 404 for strangers, 403 without the CSRF token", async (_f, route) => {
    const url = urlOf(route);
    const problems: string[] = [];
    const post = (session: SignedIn | null, fields: Record<string, string>) => {
      const init = form(fields);
      init.headers.Origin = p.url;
      return session ? session.fetch(url, init) : fetch(`${p.url}${url}`, init);
    };
    const anonymous = await post(null, { csrf: "forged" });
    if (![302, 403, 405].includes(anonymous.status)) problems.push(`anonymous got ${anonymous.status}`);
    if (anonymous.status === 302 && !anonymous.headers.get("location")?.startsWith("/admin/sign-in")) problems.push(`anonymous sent to ${anonymous.headers.get("location")}`);
    const member = route.adminOnly ? admin : owner;
    if (!route.hasAction) {
      const res = await post(member, { csrf: member.csrf });
      if (res.status !== 405) problems.push(`a route without a form answered a POST with ${res.status}`);
    } else {
      if (route.campaignScoped || route.adminOnly) {
        const stranger = await post(other, { csrf: other.csrf });
        if (stranger.status !== 404) problems.push(`another campaigner got ${stranger.status}, wanted 404`);
      }
      const forged = await post(member, { csrf: "forged" });
      if (forged.status !== 403) problems.push(`no CSRF token got ${forged.status}, wanted 403`);
      const empty = await post(member, { csrf: member.csrf });
      if (empty.status >= 500 || [403, 404, 405].includes(empty.status)) problems.push(`an empty form got ${empty.status}, wanted 200, 302 or a 4xx naming the fields`);
    }
    expect(problems, `${url}`).toEqual([]);
  });

  it.each(routes.filter((r) => /\$/.test(r.pattern)).map((r) => [r.file, r] as const))("GET %s with garbage or huge ids → 404 or 400, never 5xx", async (_f, route) => {
    const names = [...route.pattern.matchAll(/\$([A-Za-z]+)/g)].map((m) => m[1]!);
    const problems: string[] = [];
    for (const name of names) {
      for (const bad of ["abc", "99999999999999999999", "-1", "0"]) {
        const url = urlOf(route, { [name]: bad });
        const res = await admin.fetch(url);
        if (![400, 404].includes(res.status)) problems.push(`${url} got ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("names the campaign routes that must 404 by the brief's own examples", async () => {
    for (const url of ["/admin/campaigns/abc", "/admin/campaigns/99999999999999999999", "/admin/campaigns/abc/edit", "/admin/officials/abc"]) {
      expect((await owner.fetch(url)).status, url).toBe(404);
    }
  });

  it("guards the queue dashboard: anonymous → sign in, campaigner → 404, admin → 200", async () => {
    const anonymous = await fetch(`${p.url}/admin/queues`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect((await owner.fetch("/admin/queues")).status).toBe(404);
    expect((await admin.fetch("/admin/queues")).status).toBe(200);
  });

  it("lets anyone reach the sign-in pages without a 5xx", async () => {
    for (const file of PUBLIC) {
      const url = toRoute(file).pattern.replace("$token", "A".repeat(43));
      expect((await fetch(`${p.url}${url}`, { redirect: "manual" })).status, url).toBeLessThan(500);
    }
  });
});
