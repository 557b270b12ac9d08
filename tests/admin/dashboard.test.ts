import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueDashboardPolicy } from "#server/http/security-headers";
import { queue } from "#jobs/queues";
import { launchBrowser, newContext } from "../support/browser";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";

let p: TestPlatform;
let owner: SignedIn;
let other: SignedIn;
let admin: SignedIn;
let base: string;

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
/** The data table under a chart, as [cells…] rows. */
function table(html: string, title: string): string[][] {
  const figure = html.slice(html.indexOf(`<h2>${title}</h2>`));
  const body = /<details>.*?<tbody>(.*?)<\/tbody>/s.exec(figure)![1]!;
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!));
}

beforeAll(async () => {
  p = await startTestPlatform();
  const db = p.database.db;
  const campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  const actionId = (await db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow()).id;
  base = `/admin/campaigns/${campaignId}`;
  const accounts = await Promise.all([
    createCampaigner(db, { campaignIds: [campaignId] }), createCampaigner(db), createCampaigner(db, { role: "admin" }),
  ]);
  [owner, other, admin] = (await Promise.all(accounts.map((a) => signIn(p.url, a)))) as [SignedIn, SignedIn, SignedIn];
  // 3 confirmed from Peru two days ago; today 2 confirmed from Bolivia and 1 still pending from Peru.
  const rows: [string, string, number][] = [["confirmed", "PE", 2], ["confirmed", "PE", 2], ["confirmed", "PE", 2], ["confirmed", "BO", 0], ["confirmed", "BO", 0], ["pending", "PE", 0]];
  for (const [i, [status, country, daysAgo]] of rows.entries()) {
    const s = await db.insertInto("supporters").values({ email: `dash${i}@example.org` }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("signatures").values({
      action_id: actionId, supporter_id: s.id, status: status as "confirmed" | "pending", name: `Dash ${i}`, country, language: "en",
      created_at: sql`now() - make_interval(days => ${daysAgo}::int)` as never, confirmed_at: status === "confirmed" ? new Date() : null,
    }).execute();
  }
  const justice = (await db.selectFrom("targets").select(["id", "name"]).where("email", "=", "ministro@minjus-pe.example").executeTakeFirstOrThrow());
  const letter = (await db.selectFrom("actions").select("id").where("slug", "=", "write-to-the-minister").executeTakeFirstOrThrow()).id;
  await db.insertInto("deliveries").values([
    { action_id: letter, target_id: justice.id, seq: 1, trigger: "manual", status: "sent", items: 4, items_to_date: 4, sent_at: new Date() },
    { action_id: letter, target_id: justice.id, seq: 2, trigger: "manual", status: "failed", items: 9, items_to_date: 13 },
  ]).execute();
  await eventually(async () => (await db.selectFrom("action_counters").select("confirmed").where("action_id", "=", actionId).executeTakeFirst())?.confirmed === 5, 15_000, "counted");
});
afterAll(async () => p?.stop());

describe("the campaign dashboard", () => {
  it("shows the numbers behind each chart: per day, against the goal, by country, confirmation rate, delivered per official", async () => {
    const res = await owner.fetch(base);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/data-testid="confirmed-total">5</);
    expect(html).toMatch(/data-testid="confirmation-rate">83\.3%</);
    const perDay = table(html, "Signatures per day");
    expect(perDay).toHaveLength(30);
    expect(perDay.find((r) => r[0] === day(2))).toEqual([day(2), "3", "3"]);
    expect(perDay.find((r) => r[0] === day(0))).toEqual([day(0), "3", "2"]);
    expect(perDay.find((r) => r[0] === day(5))).toEqual([day(5), "0", "0"]);
    const cumulative = table(html, "Confirmed against the goal");
    expect(cumulative.at(-1)).toEqual([day(0), "5"]);
    expect(cumulative.find((r) => r[0] === day(2))).toEqual([day(2), "3"]);
    expect(table(html, "Confirmed by country")).toEqual([["Peru", "3"], ["Bolivia", "2"]]);
    // The goal is shown as progress toward it, drawn on the server (it shows without JavaScript too).
    expect(html).toMatch(/aria-label="Toward the goal: 5 of [\d,]+ \([\d.]+%\)"/);
    expect(table(html, "Letters delivered per official")).toEqual([[expect.any(String), "4"]]);
    expect(html).toContain("<figcaption>");
    const week = await (await owner.fetch(`${base}?days=7`)).text();
    expect(table(week, "Signatures per day")).toHaveLength(7);
    expect(table(await (await owner.fetch(`${base}?days=100000`)).text(), "Signatures per day")).toHaveLength(30);
  });

  it("shows queue health per queue, and links admins to the queue dashboard", async () => {
    const html = await (await owner.fetch(base)).text();
    for (const name of ["mail", "delivery", "maintenance", "updates"]) expect(html).toContain(`<td>${name}</td>`);
    expect(html).not.toContain('href="/admin/queues"');
    expect(await (await admin.fetch(base)).text()).toContain('href="/admin/queues"');
  });

  it("is not there for another campaigner (404) nor for visitors (sign in)", async () => {
    expect((await other.fetch(base)).status).toBe(404);
    expect((await fetch(`${p.url}${base}`, { redirect: "manual" })).status).toBe(302);
  });
});

describe("the queue dashboard", () => {
  it("sends visitors to sign in and hides itself from campaigners who are not admins", async () => {
    for (const path of ["/admin/queues", "/admin/queues/api/queues"]) {
      const anonymous = await fetch(`${p.url}${path}`, { redirect: "manual" });
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toBe(`/admin/sign-in?next=${encodeURIComponent(path)}`);
      expect((await owner.fetch(path)).status).toBe(404);
      expect((await fetch(`${p.url}${path}`, { redirect: "manual", headers: { Cookie: "inkwell_session=forged-forged-forged-forged-forged-forged-for" } })).status).toBe(302);
    }
  });

  it("shows admins bull-board over this deployment's queues, with a policy that lets its own scripts run and nothing else", async () => {
    const page = await admin.fetch("/admin/queues");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toBe(queueDashboardPolicy());
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)![1]!;
    expect((await admin.fetch(`/admin/queues/${script}`)).status).toBe(200);
    expect((await fetch(`${p.url}/admin/queues/${script}`, { redirect: "manual" })).status).toBe(302);
    // A job waiting far in the future on this test's prefix shows up in the board's own API.
    await queue("mail").add("board-probe", {}, { delay: 3_600_000, jobId: "board-probe" });
    const api = await admin.fetch("/admin/queues/api/queues?activeQueue=mail&status=delayed&page=1");
    expect(api.status).toBe(200);
    const data = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(data.queues.map((q) => q.name).sort()).toEqual(["delivery", "mail", "maintenance", "updates"]);
    expect(data.queues.find((q) => q.name === "mail")!.counts.delayed).toBe(1);
    await queue("mail").remove("board-probe");
  });
});

describe("in a browser", () => {
  it("draws the four charts once the page has loaded, and bull-board runs under its own policy for an admin", async () => {
    const browser = await launchBrowser();
    try {
      const context = await newContext(browser, p);
      const [name, value] = owner.cookie.split("=") as [string, string];
      await context.addCookies([{ name, value, url: p.url }]);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(base);
      await page.locator(".recharts-surface").nth(3).waitFor();
      expect(await page.locator("figure.chart").count()).toBe(4);
      expect(await page.getByRole("img", { name: /^Signatures per day/ }).count()).toBe(1);
      expect(problems).toEqual([]);

      const [adminName, adminValue] = admin.cookie.split("=") as [string, string];
      await context.addCookies([{ name: adminName, value: adminValue, url: p.url }]);
      const board = await context.newPage();
      const refused: string[] = [];
      board.on("console", (m) => { if (m.type() === "error" && !m.text().includes("fonts.googleapis.com")) refused.push(m.text()); });
      await board.goto("/admin/queues");
      await board.getByText("maintenance", { exact: false }).first().waitFor({ timeout: 15_000 });
      expect(refused).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
