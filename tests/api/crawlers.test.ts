import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => p?.stop());

describe("robots.txt and sitemap.xml", () => {
  it("keeps crawlers out of the workspace, the API and personal links, and points them at the sitemap", async () => {
    const res = await fetch(`${p.url}/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const path of ["/admin", "/api/", "/confirm/", "/unsubscribe/", "/letters/", "/privacy/my-data"]) expect(text).toContain(`Disallow: ${path}`);
    expect(text).toContain(`Sitemap: ${p.url}/sitemap.xml`);
  });

  it("lists every live campaign and its actions, and no draft", async () => {
    await p.database.db.insertInto("campaigns").values({ slug: "a-draft-campaign", status: "draft" }).execute();
    const res = await fetch(`${p.url}/sitemap.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/xml/);
    const body = await res.text();
    expect(body).toContain(`<loc>${p.url}/campaigns/${DEMO.campaign}</loc>`);
    expect(body).toContain(`<loc>${p.url}/campaigns/${DEMO.campaign}/${DEMO.action}</loc>`);
    expect(body).not.toContain("a-draft-campaign");
  });
});
