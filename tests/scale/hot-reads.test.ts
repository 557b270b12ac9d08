import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hotReads } from "#core/metrics";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

// Kept campaign pages and count answers are sent straight from node:http (server/http/hot-reads.ts);
// HOT_READS=off sends them through Express. Every case is asked both ways and the answers must be
// the same but for the date, the request id and the CSP nonce; the counter says who answered.

let p: TestPlatform;
beforeAll(async () => {
  process.env.PUBLIC_CACHE_MS = "60000";
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => {
  process.env.HOT_READS = "on";
  await p?.stop();
  delete process.env.PUBLIC_CACHE_MS;
});

const PAGE = `/campaigns/${DEMO.campaign}`;
const API = `/api/campaigns/${DEMO.campaign}`;
// Framing (a length, or chunks) is not content: the hot path always sends a length.
const NOT_COMPARED = new Set(["date", "x-request-id", "keep-alive", "connection", "content-length", "transfer-encoding"]);
// A client that does not ask for compression: the hot path answers only those (Express compresses for the rest).
const PLAIN = { "accept-encoding": "identity" };

interface Answer { status: number; headers: Record<string, string>; body: string; nonce?: string; id: string }

async function ask(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(p.url + path, { ...init, headers: { ...PLAIN, ...(init.headers as Record<string, string>) } });
  const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!NOT_COMPARED.has(name)) headers[name] = nonce ? value.replaceAll(nonce, "NONCE") : value;
  });
  const body = await res.text();
  return { status: res.status, headers, body: nonce ? body.replaceAll(nonce, "NONCE") : body, nonce, id: res.headers.get("x-request-id") ?? "" };
}

async function sentHot(route: string): Promise<number> {
  return (await hotReads.get()).values.find((v) => v.labels.route === route)?.value ?? 0;
}

/** The same request with the hot path on (after one request that keeps the answer) and off. */
async function bothWays(path: string, init: RequestInit = {}) {
  process.env.HOT_READS = "on";
  await ask(path, init);
  const before = (await sentHot("/campaigns/:slug")) + (await sentHot("/api/campaigns/:slug"));
  const hot = await ask(path, init);
  const answeredHot = (await sentHot("/campaigns/:slug")) + (await sentHot("/api/campaigns/:slug")) - before;
  process.env.HOT_READS = "off";
  const express = await ask(path, init);
  process.env.HOT_READS = "on";
  return { hot, express, answeredHot };
}

describe("hot read path", () => {
  it("sends a kept campaign page exactly as Express does, in each language", async () => {
    for (const language of ["en", "es", "fr", "ar"]) {
      const { hot, express, answeredHot } = await bothWays(PAGE, { headers: { "accept-language": language } });
      expect(answeredHot, language).toBe(1);
      expect(hot.status).toBe(200);
      expect(hot.headers).toEqual(express.headers);
      expect(hot.body).toBe(express.body);
      expect(hot.body).toContain(`lang="${language}"`);
      for (const name of ["x-content-type-options", "x-frame-options", "permissions-policy", "cross-origin-opener-policy", "referrer-policy", "content-security-policy"]) {
        expect(hot.headers[name], name).toBeTruthy();
      }
    }
  });

  it("sends the count JSON exactly as Express does, per language and for an unknown campaign (404)", async () => {
    // A language Inkwell does not speak gets the English answer, both ways.
    for (const path of [API, `${API}?lang=es`, `${API}?lang=zz`, "/api/campaigns/no-such-campaign"]) {
      const { hot, express, answeredHot } = await bothWays(path);
      expect(answeredHot, path).toBe(1);
      expect(hot).toEqual({ ...express, id: hot.id });
    }
    const missing = await ask("/api/campaigns/no-such-campaign");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: "campaign not found" });
    expect(JSON.parse((await ask(API)).body).slug).toBe(DEMO.campaign);
  });

  it("gives every answer its own nonce and request id, and keeps a plain incoming request id", async () => {
    await ask(PAGE);
    const nonces = new Set<string>();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const page = await ask(PAGE);
      nonces.add(page.nonce!);
      ids.add(page.id);
      expect(page.body).toContain('nonce="NONCE"');
    }
    expect(nonces.size).toBe(5);
    expect(ids.size).toBe(5);
    expect((await ask(API, { headers: { "x-request-id": "trace-1234abcd" } })).id).toBe("trace-1234abcd");
    // An id that could forge log lines is replaced (bad input: a request id with a newline's escape and spaces).
    const forged = await ask(API, { headers: { "x-request-id": "a b\\n{\"level\":\"error\"}" } });
    expect(forged.id).not.toContain(" ");
    expect(forged.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers HEAD with the headers and no body", async () => {
    await ask(PAGE);
    const before = await sentHot("/campaigns/:slug");
    const res = await fetch(p.url + PAGE, { method: "HEAD", headers: PLAIN });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(1000);
    expect(await res.text()).toBe("");
    expect(await sentHot("/campaigns/:slug")).toBe(before + 1);
  });

  it("leaves to Express what is not plainly a kept read (bad input: bodies, odd paths and queries, sessions, NUL)", async () => {
    await ask(PAGE);
    await ask(API);
    const cases: [string, RequestInit, number | "below 500"][] = [
      [`${PAGE}?lang=es`, {}, "below 500"],
      [`${PAGE}/`, {}, "below 500"],
      [PAGE.toUpperCase(), {}, 404],
      [`${API}?lang=es&x=1`, {}, 200],
      [`${API}%00`, {}, 400],
      [`/api/campaigns/${"a".repeat(300)}`, {}, 404],
      [PAGE, { headers: { cookie: "inkwell_session=forged" } }, 200],
      [PAGE, { headers: { "accept-encoding": "gzip" } }, 200],
      [API, { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }, "below 500"],
    ];
    const before = (await sentHot("/campaigns/:slug")) + (await sentHot("/api/campaigns/:slug"));
    for (const [path, init, status] of cases) {
      const res = await fetch(p.url + path, { ...init, headers: { ...PLAIN, ...(init.headers as Record<string, string>) } });
      if (status === "below 500") expect(res.status, path).toBeLessThan(500);
      else expect(res.status, path).toBe(status);
      await res.arrayBuffer();
    }
    expect((await sentHot("/campaigns/:slug")) + (await sentHot("/api/campaigns/:slug"))).toBe(before);
  });

  it("times and names its answers in the HTTP metrics like Express's", async () => {
    await ask(API);
    const res = await fetch(`${p.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/inkwell_http_request_duration_seconds_count\{method="GET",route="\/api\/campaigns\/:slug",status="200"\} [1-9]/);
    expect(text).toMatch(/inkwell_hot_reads_total\{route="\/api\/campaigns\/:slug"\} [1-9]/);
  });
});
