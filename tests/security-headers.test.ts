import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, startTestPlatform, type TestPlatform } from "./support/platform";

describe("security headers", () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ worker: false });
  });
  afterAll(async () => {
    await p?.stop();
  });

  const pages = ["/", `/campaigns/${DEMO.campaign}`, `/campaigns/${DEMO.campaign}/${DEMO.action}`, "/privacy", "/no-such-page"];

  it("sends a nonce-based CSP on every page, and every inline script carries that nonce", async () => {
    const nonces = new Set<string>();
    for (const path of pages) {
      const res = await fetch(p.url + path);
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, path).toBeTruthy();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(pages.length); // a fresh nonce per response
  });

  it("sends nosniff, framing, referrer and permissions headers on pages, JSON and static files", async () => {
    for (const path of [...pages, "/api/campaigns", "/favicon.svg", "/healthz"]) {
      const res = await fetch(p.url + path);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("permissions-policy"), path).toContain("camera=()");
    }
    const page = await fetch(p.url + "/");
    expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });
});
