import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileCounters } from "#db/queries/counters";
import { foldCounters } from "#jobs/maintenance";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "./support/platform";
import { apiCount, mailTo, page, postConfirm, sign, supporter } from "./support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

/** The count shown on the campaign page in the card of one action (as the page formats it). */
async function pageCount(action: string): Promise<string | undefined> {
  const { html } = await page(`${p.url}/campaigns/${DEMO.campaign}`);
  const card = html.slice(html.indexOf(`href="/campaigns/${DEMO.campaign}/${action}"`));
  return /data-testid="count">([^<]+)</.exec(card)?.[1];
}

async function actionId(slug: string): Promise<number> {
  const row = await p.database.db.selectFrom("actions").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  return row.id;
}

describe("counters", () => {
  it("shows a confirmation in the public API and on the campaign page within seconds", async () => {
    const ana = supporter("ana");
    await sign(p, ana);
    expect((await postConfirm(confirmLink((await mailTo(p, ana.email)).text))).status).toBe(302);
    await eventually(async () => (await apiCount(p.url)) === 1, 10_000, "API count of 1");
    await eventually(async () => (await pageCount(DEMO.action)) === "1", 10_000, "page count of 1");
  });

  it("serves the public numbers from the counters, never from counting signatures", async () => {
    const id = await actionId(DEMO.action);
    await foldCounters(p.database.db);
    await p.database.db.updateTable("action_counters").set({ confirmed: 4_242 }).where("action_id", "=", id).execute();
    expect(await apiCount(p.url)).toBe(4_242);
    expect(await pageCount(DEMO.action)).toBe("4,242");
  });

  it("corrects a counter corrupted by hand when reconciling", async () => {
    const id = await actionId(DEMO.action);
    await p.database.db.updateTable("action_counters").set({ confirmed: 7 }).where("action_id", "=", id).execute();
    expect(await apiCount(p.url)).toBe(7);
    expect(await reconcileCounters(p.database.db)).toBeGreaterThanOrEqual(1);
    expect(await apiCount(p.url)).toBe(1);
    expect(await pageCount(DEMO.action)).toBe("1");
  });

  it("folds five thousand confirmations at once into the right count", async () => {
    const action = "close-challapalca-and-yanamayo";
    const id = await actionId(action);
    await sql`
      with people as (
        insert into supporters (email) select 'bulk' || g || '@example.org' from generate_series(1, 5000) g returning id
      )
      insert into signatures (action_id, supporter_id, status, name, country, language, confirmed_at)
      select ${id}, people.id, 'confirmed', 'Bulk supporter', 'PE', 'en', now() from people
    `.execute(p.database.db);
    await foldCounters(p.database.db);
    await eventually(async () => (await apiCount(p.url, action)) === 5_000, 10_000, "count of 5,000");
    expect(await pageCount(action)).toBe("5,000");
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from signatures where action_id = ${id} and not counted`.execute(p.database.db);
    expect(rows[0]!.n).toBe(0);
    expect(await reconcileCounters(p.database.db)).toBe(0);
    expect(await apiCount(p.url, action)).toBe(5_000);
  });
});
