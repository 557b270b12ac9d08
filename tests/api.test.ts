import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { es } from "#app/i18n/es";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "./support/platform";
import { ACTION_PATH, SENT_PATH, mailTo, page, postConfirm, sign, supporter } from "./support/supporter";

interface ApiAction { slug: string; kind: string; title: string; goal: number; count: number }
interface ApiCampaign { slug: string; title: string; goal: number; count: number; actions: ApiAction[] }

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

async function api(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(p.url + path, { headers });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

function expectPublicHeaders(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("access-control-allow-origin")).toBe("*");
  const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get("cache-control") ?? "")?.[1]);
  expect(maxAge).toBeGreaterThan(0);
  expect(maxAge).toBeLessThanOrEqual(60);
}

function expectActionShape(a: ApiAction) {
  expect(Object.keys(a)).toEqual(expect.arrayContaining(["slug", "kind", "title", "goal", "count"]));
  expect(["petition", "letter"]).toContain(a.kind);
  expect(typeof a.title).toBe("string");
  expect(a.goal).toBeGreaterThan(0);
  expect(a.count).toBeGreaterThanOrEqual(0);
}

describe("public read API", () => {
  it("lists live campaigns with each action's slug, kind, title, goal and count", async () => {
    const { res, body } = await api("/api/campaigns");
    expect(res.status).toBe(200);
    expectPublicHeaders(res);
    const campaigns = body.campaigns as ApiCampaign[];
    const demo = campaigns.find((c) => c.slug === DEMO.campaign);
    expect(demo).toBeDefined();
    expect(demo!.title).toBe("Free Peru's innocent prisoners");
    expect(demo!.actions.map((a) => a.slug)).toContain(DEMO.action);
    for (const a of demo!.actions) expectActionShape(a);
    expect(demo!.actions.find((a) => a.slug === DEMO.action)).toMatchObject({ kind: "petition", goal: 5_000, count: 0 });
  });

  it("describes one campaign, and counts a confirmation in it", async () => {
    const ana = supporter("ana");
    await sign(p, ana);
    expect((await postConfirm(confirmLink((await mailTo(p, ana.email)).text))).status).toBe(302);
    const campaign = await eventually(async () => {
      const { res, body } = await api(`/api/campaigns/${DEMO.campaign}`);
      expectPublicHeaders(res);
      const c = body as unknown as ApiCampaign;
      return c.actions.find((a) => a.slug === DEMO.action)?.count === 1 ? c : undefined;
    }, 10_000, "API count of 1");
    expect(campaign.slug).toBe(DEMO.campaign);
    expect(campaign.count).toBe(1);
    for (const a of campaign.actions) expectActionShape(a);
  });

  it("never exposes ids or personal data", async () => {
    const { body } = await api(`/api/campaigns/${DEMO.campaign}`);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/"id"\s*:/);
    expect(text).not.toContain("@example.org");
    expect(text).not.toContain("@gob-pe.example");
  });

  it("answers an unknown campaign with a 404 in JSON", async () => {
    const { res, body } = await api("/api/campaigns/no-such-campaign");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(body.error).toMatch(/not found/i);
  });

  it("gives Spanish and French titles with ?lang=es and ?lang=fr, and English for a language it does not speak", async () => {
    const es = (await api(`/api/campaigns/${DEMO.campaign}?lang=es`)).body as unknown as ApiCampaign;
    expect(es.title).toBe("Libertad para los presos inocentes del Perú");
    expect(es.actions.find((a) => a.slug === DEMO.action)!.title).toBe("Libertad inmediata para todos los presos inocentes");
    const list = (await api("/api/campaigns?lang=es")).body.campaigns as ApiCampaign[];
    expect(list.find((c) => c.slug === DEMO.campaign)!.title).toBe(es.title);
    const fr = (await api(`/api/campaigns/${DEMO.campaign}?lang=fr`)).body as unknown as ApiCampaign;
    expect(fr.title).toBe("Libérez les prisonniers innocents du Pérou");
    const tr = (await api(`/api/campaigns/${DEMO.campaign}?lang=tr`)).body as unknown as ApiCampaign;
    expect(tr.title).toBe("Free Peru's innocent prisoners");
  });

  it("hides a campaign once it is no longer live or public", async () => {
    await p.database.db.updateTable("campaigns").set({ status: "draft" }).where("slug", "=", DEMO.campaign).execute();
    try {
      expect((await api(`/api/campaigns/${DEMO.campaign}`)).res.status).toBe(404);
      const list = (await api("/api/campaigns")).body.campaigns as ApiCampaign[];
      expect(list.map((c) => c.slug)).not.toContain(DEMO.campaign);
    } finally {
      await p.database.db.updateTable("campaigns").set({ status: "live" }).where("slug", "=", DEMO.campaign).execute();
    }
  });
});

const spanish = { "Accept-Language": "es-PE,es;q=0.9" };

describe("languages", () => {
  it("serves the home, campaign, action and sent pages in Spanish to a Spanish browser", async () => {
    const pages: [string, string[]][] = [
      ["/", [es.home.title, "Libertad para los presos inocentes del Perú"]],
      ["/campaigns/peru-innocent-prisoners", ["Libertad para los presos inocentes del Perú", es.campaign.actNow]],
      [ACTION_PATH, ["Libertad inmediata para todos los presos inocentes", es.sign.heading, es.sign.submit, es.sign.privacy]],
      [SENT_PATH, [es.sent.title]],
    ];
    for (const [path, texts] of pages) {
      const { status, html } = await page(p.url + path, { headers: spanish });
      expect(status).toBe(200);
      expect(html).toMatch(/<html lang="es"/);
      for (const text of texts) expect(html).toContain(text);
    }
  });

  it("serves English when the browser asks for it or for a language Inkwell does not speak", async () => {
    for (const language of ["en-GB,en;q=0.9", "de-DE,de;q=0.9", ""]) {
      const { html } = await page(`${p.url}/`, { headers: { "Accept-Language": language } });
      expect(html).toMatch(/<html lang="en"/);
      expect(html).toContain(en.home.title);
    }
  });

  it("lets a chosen language (the cookie) win over the browser's", async () => {
    const { html } = await page(p.url + ACTION_PATH, { headers: { ...spanish, Cookie: "lang=en" } });
    expect(html).toMatch(/<html lang="en"/);
    expect(html).toContain(en.sign.heading);
    const chosen = await page(p.url + ACTION_PATH, { headers: { "Accept-Language": "en", Cookie: "theme=dark; lang=es" } });
    expect(chosen.html).toMatch(/<html lang="es"/);
  });

  it("switches language with a plain link that sets the cookie and returns to the page", async () => {
    const res = await page(`${p.url}/lang?to=en&back=${encodeURIComponent("/campaigns/peru-innocent-prisoners?x=1")}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/campaigns/peru-innocent-prisoners?x=1");
    expect(res.headers.get("set-cookie")).toMatch(/^lang=en; Path=\/;.*Max-Age=\d+/);
    const toSpanish = await page(`${p.url}/lang?to=es&back=/`);
    expect(toSpanish.headers.get("location")).toBe("/");
    expect(toSpanish.headers.get("set-cookie")).toMatch(/^lang=es;/);
  });

  it("ignores a language it does not speak, without setting a cookie", async () => {
    const res = await page(`${p.url}/lang?to=xx&back=/`);
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("never redirects to another site, however the address is disguised", async () => {
    const site = new URL(p.url);
    for (const back of [
      "https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
      "/\n/evil.example", "/\r\n/evil.example", " //evil.example", "javascript:alert(1)", "http:evil.example",
    ]) {
      const res = await page(`${p.url}/lang?to=en&back=${encodeURIComponent(back)}`);
      expect(res.status, `back=${JSON.stringify(back)}`).toBe(302);
      const target = new URL(res.headers.get("location")!, p.url);
      expect(target.origin, `back=${JSON.stringify(back)}`).toBe(site.origin);
    }
    expect((await page(`${p.url}/lang?to=en&back=${encodeURIComponent("https://evil.example")}`)).headers.get("location")).toBe("/");
  });
});
