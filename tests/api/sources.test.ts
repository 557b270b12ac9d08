import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseSource } from "#db/sources";
import { createCampaigner, signIn } from "../support/campaigner";
import { DEMO, confirmLink, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { ACTION_PATH, mailTo, page, postConfirm, signatureOf, supporter } from "../support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => p?.stop());

describe("sources", () => {
  it("keeps a short, lower-case channel name and drops anything else", () => {
    expect(normaliseSource(" Newsletter ")).toBe("newsletter");
    expect(normaliseSource("partner.org_2")).toBe("partner.org_2");
    for (const bad of ["", "<script>", "a b", "x".repeat(41), "-lead", null, undefined]) expect(normaliseSource(bad)).toBeNull();
  });

  it("the action page's form posts back with its ?source=, so a supporter without JavaScript keeps it", async () => {
    const { html } = await page(`${p.url}${ACTION_PATH}?source=newsletter`);
    expect(html).toMatch(/<form[^>]*action="[^"]*source=newsletter/);
  });

  it("records the source on each signature, and the dashboard breaks confirmed signatures down by it", async () => {
    const cases: Array<[string, string | null]> = [["Newsletter", "newsletter"], ["newsletter", "newsletter"], ["%3Cb%3E", null], ["", null]];
    for (const [source, stored] of cases) {
      const s = supporter("src");
      const res = await postSign(p.url, s, `${ACTION_PATH}${source ? `?source=${source}` : ""}`);
      expect(res.status).toBe(302);
      expect((await postConfirm(confirmLink((await mailTo(p, s.email)).text))).status).toBe(302);
      expect((await signatureOf(p.database.db, s.email))!.source).toBe(stored);
    }
    const campaign = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    const owner = await signIn(p.url, await createCampaigner(p.database.db, { campaignIds: [campaign.id], tag: "sources" }));
    const dashboard = await (await owner.fetch(`/admin/campaigns/${campaign.id}`)).text();
    expect(dashboard).toContain("Confirmed by source");
    expect(dashboard).toMatch(/<td>newsletter<\/td><td[^>]*>2<\/td>/);
    expect(dashboard).toMatch(/<td>direct<\/td><td[^>]*>2<\/td>/);
    const csv = await (await owner.fetch(`/admin/campaigns/${campaign.id}/supporters/export`)).text();
    const lines = csv.replace(/^\uFEFF/, "").trim().split(/\r\n/);
    expect(lines[0]!.split(",").at(-1)).toBe("source");
    expect(lines.filter((l) => l.endsWith(",newsletter"))).toHaveLength(2);
  });
});
