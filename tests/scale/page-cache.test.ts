import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

// The rendered-page cache is on here (it is off in other tests): every check below runs against
// pages that may have come from it.
let p: TestPlatform;
beforeAll(async () => {
  process.env.PUBLIC_CACHE_MS = "60000";
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => {
  await p?.stop();
  delete process.env.PUBLIC_CACHE_MS;
});

const PAGE = `/campaigns/${DEMO.campaign}`;
const ENGLISH = "Free Peru";
const SPANISH = "Libertad para los presos inocentes";

async function visit(headers: Record<string, string>) {
  const res = await fetch(p.url + PAGE, { headers });
  const html = await res.text();
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  return { res, html, nonce, scripts };
}

describe("cached campaign page", () => {
  it("gives each visitor the page in their own language, alternating languages", async () => {
    for (let i = 0; i < 3; i++) {
      const es = await visit({ "accept-language": "es" });
      expect(es.res.status).toBe(200);
      expect(es.html).toContain(SPANISH);
      expect(es.html).not.toContain(ENGLISH);
      const en = await visit({ "accept-language": "en" });
      expect(en.html).toContain(ENGLISH);
      expect(en.html).not.toContain(SPANISH);
    }
  });

  it("follows the language cookie over Accept-Language, as the language switch expects", async () => {
    await visit({ "accept-language": "en" });
    const chosen = await visit({ "accept-language": "en", cookie: "lang=es" });
    expect(chosen.html).toContain(SPANISH);
    const back = await visit({ "accept-language": "es", cookie: "lang=en" });
    expect(back.html).toContain(ENGLISH);
  });

  it("never replays one response's nonce or request id: each page's scripts carry its own fresh nonce", async () => {
    const seen = new Set<string>();
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const page = await visit({ "accept-language": "es" });
      expect(page.nonce).toBeTruthy();
      expect(page.scripts.length).toBeGreaterThan(0);
      for (const tag of page.scripts) expect(tag).toContain(`nonce="${page.nonce}"`);
      for (const old of seen) expect(page.html).not.toContain(old);
      seen.add(page.nonce!);
      ids.add(page.res.headers.get("x-request-id") ?? "");
      expect(page.res.headers.get("cache-control")).toMatch(/^public/);
      expect(page.res.headers.get("vary")).toContain("Accept-Language");
    }
    expect(seen.size).toBe(4);
    expect(ids.size).toBe(4);
  });

  it("sends the same headers and body (bar the nonce) as a fresh render", async () => {
    const first = await visit({ "accept-language": "en" });
    const second = await visit({ "accept-language": "en" });
    // A session cookie skips the cache: this one is rendered afresh.
    const fresh = await visit({ "accept-language": "en", cookie: "other=1" });
    for (const page of [second, fresh]) {
      expect(page.html.split(page.nonce!).join("N")).toBe(first.html.split(first.nonce!).join("N"));
      for (const name of ["content-type", "cache-control", "vary", "referrer-policy", "x-frame-options", "x-content-type-options"]) {
        expect(page.res.headers.get(name), name).toBe(first.res.headers.get(name));
      }
    }
  });

  it("leaves a query string, a 404 and another path alone (bad input: unknown slug)", async () => {
    const missing = await fetch(`${p.url}/campaigns/no-such-campaign`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${p.url}/campaigns/no-such-campaign`)).status).toBe(404);
    const query = await fetch(`${p.url}${PAGE}?lang=es`, { headers: { "accept-language": "en" } });
    expect(query.status).toBeLessThan(500);
  });
});
