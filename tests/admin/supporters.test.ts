import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "#db/client";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { postConfirm, signAndGetLink, supporter } from "../support/supporter";

let p: TestPlatform;
let owner: SignedIn;
let other: SignedIn;
let campaignId: number;
let petition: number;
let base: string;

/** Adds `n` signatures to an action in one statement (generate_series), each with its own supporter. */
async function bulk(db: DB, o: { actionId: number; n: number; tag: string; name: string; status?: string; country?: string; daysAgo?: number }) {
  await sql`
    with p as (
      insert into supporters (email, language)
      select ${o.tag} || '.' || g || '@example.org', 'en' from generate_series(1, ${o.n}::int) g
      returning id, email
    )
    insert into signatures (action_id, supporter_id, status, name, country, language, created_at, confirmed_at)
    select ${o.actionId}, p.id, ${o.status ?? "confirmed"}::text, ${o.name} || ' ' || split_part(split_part(p.email, '@', 1), '.', 2),
           ${o.country ?? "PE"}, 'en', now() - make_interval(days => ${o.daysAgo ?? 0}::int),
           case when ${o.status ?? "confirmed"} = 'confirmed' then now() end
    from p
  `.execute(db);
}

const counter = async (actionId: number) =>
  (await p.database.db.selectFrom("action_counters").select("confirmed").where("action_id", "=", actionId).executeTakeFirst())?.confirmed ?? 0;
/** Waits until every confirmed signature has been folded into its counter, so counter readings are stable. */
const settled = () =>
  eventually(async () => (await p.database.db.selectFrom("signatures").select("id").where("status", "=", "confirmed").where("counted", "=", false).execute()).length === 0, 15_000, "counters folded");
const ids = (html: string) => [...html.matchAll(/name="ids"[^>]*value="(\d+)"/g)].map((m) => Number(m[1]));
const fieldError = (html: string, id: string) => new RegExp(`id="${id}-error"[^>]*>([^<]*)<`).exec(html)?.[1];

beforeAll(async () => {
  p = await startTestPlatform();
  const db = p.database.db;
  campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  petition = (await db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow()).id;
  base = `/admin/campaigns/${campaignId}/supporters`;
  const [a, b] = await Promise.all([createCampaigner(db, { campaignIds: [campaignId], tag: "owner" }), createCampaigner(db, { tag: "other" })]);
  [owner, other] = await Promise.all([signIn(p.url, a), signIn(p.url, b)]);
  await bulk(db, { actionId: petition, n: 70, tag: "amaru", name: "Amaru" });
  await bulk(db, { actionId: petition, n: 5, tag: "quispe", name: "Quispe", status: "pending", country: "BO", daysAgo: 3 });
  await eventually(async () => (await counter(petition)) >= 70, 15_000, "bulk signatures counted");
});
afterAll(async () => p?.stop());

describe("the supporters list", () => {
  it("shows 50 signatures a page, newest first, with a keyset link to older ones and counts per status", async () => {
    const res = await owner.fetch(base);
    expect(res.status).toBe(200);
    const html = await res.text();
    const first = ids(html);
    expect(first).toHaveLength(50);
    expect([...first].sort((x, y) => y - x)).toEqual(first);
    const next = /href="[^"?]*\?([^"]*before=(\d+)[^"]*)"/.exec(html);
    expect(Number(next![2])).toBe(first[49]);
    const older = ids(await (await owner.fetch(`${base}?before=${first[49]}`)).text());
    expect(older.length).toBeGreaterThan(0);
    expect(Math.max(...older)).toBeLessThan(Math.min(...first));
    expect(html).not.toContain("OFFSET");
    expect(html).toMatch(/<div class="value">75<\/div><div class="label">matching/);
    expect(html).toMatch(/<div class="value">5<\/div><div class="label">pending/);
  });

  it("finds a supporter by exact email or by the start of a name, never by the middle of one", async () => {
    const byEmail = await (await owner.fetch(`${base}?q=${encodeURIComponent("AMARU.7@example.org")}`)).text();
    expect(ids(byEmail)).toHaveLength(1);
    expect(byEmail).toContain("Amaru 7");
    const partialEmail = await (await owner.fetch(`${base}?q=${encodeURIComponent("maru.7@example.org")}`)).text();
    expect(ids(partialEmail)).toHaveLength(0);
    expect(ids(await (await owner.fetch(`${base}?q=quis`)).text())).toHaveLength(5);
    expect(ids(await (await owner.fetch(`${base}?q=uispe`)).text())).toHaveLength(0);
    expect(ids(await (await owner.fetch(`${base}?q=${encodeURIComponent("Amaru 1_")}`)).text())).toHaveLength(0);
  });

  it("filters by action, status, country and date range", async () => {
    const html = async (q: string) => (await owner.fetch(`${base}?${q}`)).text();
    expect(await html(`status=pending`)).toMatch(/<div class="value">5<\/div><div class="label">matching/);
    expect(await html(`country=bo`)).toMatch(/<div class="value">5<\/div><div class="label">matching/);
    const today = new Date().toISOString().slice(0, 10);
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(await html(`from=${lastWeek}&to=${today}&action=${petition}`)).toMatch(/<div class="value">75<\/div><div class="label">matching/);
    expect(await html(`from=${lastWeek}&to=${twoDaysAgo}`)).toMatch(/<div class="value">5<\/div><div class="label">matching/);
    expect(await html(`from=${today}&status=confirmed`)).toMatch(/<div class="value">70<\/div><div class="label">matching/);
    const letter = (await p.database.db.selectFrom("actions").select("id").where("slug", "=", "write-to-the-minister").executeTakeFirstOrThrow()).id;
    expect(await html(`action=${letter}`)).toMatch(/<div class="value">0<\/div><div class="label">matching/);
  });

  it("names the bad filter next to its field (400): unknown status, an action of another campaign, a bad country or date", async () => {
    const foreign = await p.database.db
      .insertInto("campaigns").values({ slug: "another-campaign-filters", status: "live" }).returning("id").executeTakeFirstOrThrow();
    const foreignAction = await p.database.db
      .insertInto("actions").values({ campaign_id: foreign.id, slug: "elsewhere", kind: "petition", goal: 10 }).returning("id").executeTakeFirstOrThrow();
    const cases: [string, string, string][] = [
      ["status=bogus", "filter-status", "Choose a status from the list."],
      [`action=${foreignAction.id}`, "filter-action", "Choose a call to action from the list."],
      ["action=abc", "filter-action", "Choose a call to action from the list."],
      ["country=Peru", "filter-country", "Use a two-letter country code, like PE."],
      ["from=2026-13-45", "filter-from", "That is not a date."],
      ["from=yesterday", "filter-from", "Use a date like 2026-11-28."],
      ["from=2026-11-20&to=2026-11-01", "filter-to", "The end date is before the start date."],
    ];
    for (const [query, field, message] of cases) {
      const res = await owner.fetch(`${base}?${query}`);
      expect(res.status, query).toBe(400);
      expect(fieldError(await res.text(), field), query).toBe(message);
    }
    expect((await owner.fetch(`${base}/export?status=bogus`)).status).toBe(400);
  });

  it("keeps the list, one supporter's history and the export from campaigners without access (404) and from visitors (sign in)", async () => {
    const someone = (await p.database.db.selectFrom("signatures").select("supporter_id").where("action_id", "=", petition).executeTakeFirstOrThrow()).supporter_id;
    for (const path of [base, `${base}/${someone}`, `${base}/export`]) {
      expect((await other.fetch(path)).status, path).toBe(404);
      const anonymous = await fetch(`${p.url}${path}`, { redirect: "manual" });
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/admin\/sign-in\?next=/);
    }
    expect((await other.post(base, { intent: "review", scope: "filter" })).status).toBe(404);
    expect((await owner.fetch(`${base}/999999999`)).status).toBe(404);
  });
});

describe("one supporter's history", () => {
  it("shows their signatures with status, the consent wording they saw and when, and the emails sent", async () => {
    const fields = supporter("history", { updates: "on" });
    await postConfirm(await signAndGetLink(p, fields));
    const row = await eventually(
      () => p.database.db.selectFrom("signatures as s").innerJoin("supporters as u", "u.id", "s.supporter_id").select(["s.supporter_id", "s.status"]).where("u.email", "=", fields.email).where("s.status", "=", "confirmed").executeTakeFirst(),
      15_000, "confirmed",
    );
    const consent = await p.database.db.selectFrom("consents").select("wording").where("supporter_id", "=", row.supporter_id).executeTakeFirstOrThrow();
    const html = await (await owner.fetch(`${base}/${row.supporter_id}`)).text();
    expect(html).toContain(fields.email);
    expect(html).toContain(fields.name);
    expect(html).toContain("confirmed");
    expect(html).toContain(consent.wording.slice(0, 40).replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;"));
    expect(html).toMatch(/1 confirmation and reminder emails/);
  });
});

describe("invalidating signatures", () => {
  it("reviews the ticked ones, insists on a reason (400), then invalidates them in one go: the counter drops, the history records it", async () => {
    const picked = ids(await (await owner.fetch(`${base}?q=amaru&status=confirmed`)).text()).slice(0, 3);
    await settled();
    const before = await counter(petition);
    const review = await owner.post(base, { intent: "review", scope: "selected", ids: picked.map(String) });
    expect(review.status).toBe(200);
    expect(await review.text()).toContain("Invalidate 3 signatures?");
    const none = await owner.post(base, { intent: "review", scope: "selected" });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Tick at least one signature.");
    const noReason = await owner.post(base, { intent: "invalidate", scope: "selected", ids: picked.map(String), reason: " " });
    expect(noReason.status).toBe(400);
    const page = await noReason.text();
    expect(fieldError(page, "invalidate-reason")).toMatch(/Give a reason/);
    expect(page).toContain("Invalidate 3 signatures?");
    expect(await counter(petition)).toBe(before);

    const done = await owner.post(base, { intent: "invalidate", scope: "selected", ids: picked.map(String), reason: "Same person signing under three names" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toContain("invalidated=3");
    expect(await counter(petition)).toBe(before - 3);
    const rows = await p.database.db.selectFrom("signatures").select(["status", "invalidated_reason", "counted"]).where("id", "in", picked).execute();
    expect(rows.every((r) => r.status === "invalidated" && r.invalidated_reason === "Same person signing under three names" && !r.counted)).toBe(true);
    const audit = await p.database.db.selectFrom("audit_log").selectAll().where("action", "=", "signatures.invalidate").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit.campaign_id).toBe(campaignId);
    expect(audit.details).toMatchObject({ reason: "Same person signing under three names", count: 3, uncounted: 3 });
    // The counter stays right after the next reconciliation too.
    const { reconcileCounters } = await import("#db/queries/counters");
    await reconcileCounters(p.database.db);
    expect(await counter(petition)).toBe(before - 3);
  });

  it("invalidates everything matching a filter, only what was reviewed, pending ones without touching the counter", async () => {
    const review = await owner.post(base, { intent: "review", scope: "filter", country: "BO" });
    const html = await review.text();
    expect(html).toContain("Invalidate 5 signatures?");
    const upTo = /name="upTo" value="(\d+)"/.exec(html)![1]!;
    await bulk(p.database.db, { actionId: petition, n: 2, tag: "late", name: "Late", status: "pending", country: "BO" });
    await settled();
    const before = await counter(petition);
    const done = await owner.post(base, { intent: "invalidate", scope: "filter", country: "BO", upTo, reason: "Test traffic from a load script" });
    expect(done.headers.get("location")).toContain("invalidated=5");
    expect(await counter(petition)).toBe(before);
    const left = await p.database.db.selectFrom("signatures").select("status").where("country", "=", "BO").where("status", "=", "pending").execute();
    expect(left).toHaveLength(2);
  });

  it("refuses a post without the form's token (403) and changes nothing", async () => {
    const res = await owner.fetch(base, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url },
      body: new URLSearchParams({ csrf: "forged", intent: "invalidate", scope: "filter", upTo: "999999999", reason: "forged reason" }),
    });
    expect(res.status).toBe(403);
    const forged = await p.database.db.selectFrom("signatures").select("id").where("invalidated_reason", "=", "forged reason").execute();
    expect(forged).toHaveLength(0);
  });
});
