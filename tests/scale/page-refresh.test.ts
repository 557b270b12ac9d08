import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "#app/i18n";
import { hotReads, pageChecks } from "#core/metrics";
import { loadSignatures } from "#db/bulk-load";
import { reconcileCounters } from "#db/queries/counters";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";

// A kept campaign page that expires is checked against its data before anyone renders it again
// (server/http/page-cache.ts): unchanged data keeps it without a render, and any change the page
// shows (a new signature, new wording, a closed campaign) is on the page once the check has seen it.

let p: TestPlatform;
beforeAll(async () => {
  process.env.PUBLIC_CACHE_MS = "100";
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => {
  await p?.stop();
  delete process.env.PUBLIC_CACHE_MS;
});

const PAGE = `/campaigns/${DEMO.campaign}`;
const PLAIN = { "accept-encoding": "identity" };

async function page(language: string) {
  const res = await fetch(p.url + PAGE, { headers: { ...PLAIN, "accept-language": language } });
  expect(res.status).toBe(200);
  const html = await res.text();
  return { html, total: /<strong data-testid="count">([^<]+)<\/strong>/.exec(html)?.[1], nonce: /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1] };
}

const sentHot = async () => (await hotReads.get()).values.find((v) => v.labels.route === "/campaigns/:slug")?.value ?? 0;
const checked = async (outcome: "unchanged" | "changed") => (await pageChecks.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

describe("kept campaign page on expiry", () => {
  it("stays kept without a render while nothing changed, each answer with its own nonce", async () => {
    await page("en");
    const checksBefore = await checked("unchanged");
    const sentBefore = await sentHot();
    const nonces = new Set<string>();
    let asked = 0;
    // Several intervals pass, each ending in a check that finds the same data.
    await eventually(async () => {
      const { nonce } = await page("en");
      nonces.add(nonce!);
      asked += 1;
      return (await checked("unchanged")) >= checksBefore + 3;
    }, 15_000, "three unchanged checks");
    // None of these went on to Express to be rendered: every one was sent from the kept copy.
    expect(await sentHot()).toBe(sentBefore + asked);
    expect(nonces.size).toBe(asked);
  });

  it("shows a new signature once the counters have it", async () => {
    const before = await page("en");
    const action = await p.database.db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow();
    const { total } = (await p.database.db.selectFrom("action_counters").select(sql<number>`sum(confirmed)::int`.as("total")).executeTakeFirstOrThrow());
    await loadSignatures(p.database.db, action.id, 1, "refresh");
    await reconcileCounters(p.database.db);
    const shown = new Intl.NumberFormat("en").format(Number(total) + 1);
    expect(before.total).not.toBe(shown);
    await eventually(async () => (await page("en")).total === shown, 15_000, "the new count on the page");
    expect(await checked("changed")).toBeGreaterThanOrEqual(1);
  });

  it("shows new wording in its own language only", async () => {
    const spanish = await page("es");
    await p.database.db.updateTable("campaign_translations").set({ title: "Free the innocent prisoners of Peru now" })
      .where("language", "=", "en").where("campaign_id", "=", (eb) => eb.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign)).execute();
    await eventually(async () => (await page("en")).html.includes("Free the innocent prisoners of Peru now"), 15_000, "the new English title");
    const es = await page("es");
    expect(es.html.split(es.nonce!).join("N")).toBe(spanish.html.split(spanish.nonce!).join("N"));
  });

  it("shows a campaign closed since the page was kept as closed", async () => {
    await page("en");
    await p.database.db.updateTable("campaigns").set({ status: "closed" }).where("slug", "=", DEMO.campaign).execute();
    const closed = messages("en").campaign.closed;
    await eventually(async () => (await page("en")).html.includes(closed), 15_000, "the closed notice");
  });
});
