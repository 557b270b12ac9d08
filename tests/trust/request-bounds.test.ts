import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { hostileCases, rawRequest, watchHealth } from "../support/hostile";
import { LETTER_ACTION, letterAction } from "../support/letters";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

// Generous ceilings for a busy CI machine: before the bounded reader, each of these took minutes and gigabytes.
const TIME_CEILING_MS = 15_000;
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const PETITION = `/campaigns/${DEMO.campaign}/${DEMO.action}`;
const LETTER = `/campaigns/${DEMO.campaign}/${LETTER_ACTION}`;
const TOKEN = "A".repeat(43);

let p: TestPlatform;
let owner: SignedIn;
let campaignId: number;

beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  const campaign = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
  campaignId = campaign.id;
  owner = await signIn(p.url, await createCampaigner(p.database.db, { campaignIds: [campaign.id], tag: "bounds" }));
});
afterAll(async () => p?.stop());

describe("item 1: a small body cannot exhaust a web process", () => {
  it("refuses the reported bodies at once with a 400 and a small page that says why, while /healthz answers", async () => {
    const health = watchHealth(p.url);
    const csrf = `csrf=${encodeURIComponent(owner.csrf)}&`;
    const attacks: [string, string, Record<string, string>][] = [
      [LETTER, "targets[30000000]=2", {}],
      [PETITION, "name[99999999]=x", {}],
      ["/admin/sign-in", "zz[2000000]=1", {}],
      ["/admin/forgot-password", "zz[2000000]=1", {}],
      [`/admin/reset-password/${TOKEN}`, "zz[2000000]=1", {}],
      ["/privacy/my-data", "zz[2000000]=1", {}],
      [`/admin/campaigns/${campaignId}/supporters?index`, `${csrf}ids[99999999]=1`, { Cookie: owner.cookie }],
      [`/admin/campaigns/${campaignId}/edit`, `${csrf}intent=share&email[50000000]=x`, { Cookie: owner.cookie }],
    ];
    for (const [path, body, headers] of attacks) {
      expect(Buffer.byteLength(body)).toBeLessThan(200);
      const r = await rawRequest(p.url, path, { method: "POST", headers: { ...FORM, ...headers }, body });
      expect(r.status, `${path} ${body}`).toBe(400);
      expect(r.ms, `${path} ${body}`).toBeLessThan(TIME_CEILING_MS);
      expect(r.bytes, `${path} ${body}`).toBeLessThan(128 * 1024);
    }
    // The supporter sees the reason next to the form, in their language.
    const spanish = await (await fetch(p.url + LETTER, { method: "POST", headers: { ...FORM, "Accept-Language": "es" }, body: "targets[30000000]=2" })).text();
    expect(spanish).toContain("No pudimos leer este formulario");
    const html = await (await fetch(p.url + PETITION, { method: "POST", headers: FORM, body: "name[99999999]=x" })).text();
    expect(html).toContain("This form could not be read");
    const h = await health.stop();
    expect(h.failures).toBe(0);
    expect(h.slowest).toBeLessThan(TIME_CEILING_MS);
  });

  it("answers the largest hostile workspace bodies (2 MB) in bounded time, /healthz answering meanwhile", { timeout: 300_000 }, async () => {
    const health = watchHealth(p.url);
    const routes = [`/admin/campaigns/${campaignId}/supporters?index`, "/admin/officials/import", `/admin/campaigns/${campaignId}/updates/new`];
    const cases = hostileCases(2 * 1024 * 1024 - 4_096, `csrf=${encodeURIComponent(owner.csrf)}&`).filter((c) => c.method === "POST" && c.body !== undefined && c.body.length > 100_000);
    expect(cases.length).toBeGreaterThanOrEqual(5);
    const problems: string[] = [];
    for (const path of routes) {
      for (const c of cases) {
        const r = await rawRequest(p.url, path, { method: c.method, headers: { ...c.headers, Cookie: owner.cookie }, body: c.body });
        if (r.status === 0 || r.status >= 500) problems.push(`${path} (${c.name}): ${r.status} ${r.text.slice(0, 100)}`);
        if (r.ms > TIME_CEILING_MS) problems.push(`${path} (${c.name}): took ${Math.round(r.ms)} ms`);
        if (r.bytes > 256 * 1024) problems.push(`${path} (${c.name}): answered ${r.bytes} bytes`);
      }
    }
    const h = await health.stop();
    expect(problems).toEqual([]);
    expect(h.failures).toBe(0);
    expect(h.slowest).toBeLessThan(TIME_CEILING_MS);
  });

  it("a reply echoes only what the form can hold: unknown fields never, a list no longer than the form allows", async () => {
    const { justice } = await letterAction(p);
    const body = new URLSearchParams({ name: "", email: "not-an-email", country: "ZZ", subject: "", body: "" });
    for (let i = 0; i < 100; i += 1) body.append("targets", i === 0 ? String(justice) : "x");
    body.append("zz_unknown", "y".repeat(30_000));
    const res = await fetch(`${p.url}${LETTER}?index&_data=${encodeURIComponent("routes/campaigns.$slug.$action._index")}`, { method: "POST", headers: FORM, body });
    const reply = await res.text();
    expect(res.status).toBe(400);
    expect(reply).not.toContain("zz_unknown");
    expect(reply.length).toBeLessThan(body.toString().length - 30_000 + 16 * 1024);
    // One field past the list's length is refused, not echoed.
    body.append("targets", "x");
    const over = await fetch(`${p.url}${LETTER}?index&_data=${encodeURIComponent("routes/campaigns.$slug.$action._index")}`, { method: "POST", headers: FORM, body });
    expect(over.status).toBe(400);
    expect((await over.text()).length).toBeLessThan(4_096);
  });
});

describe("item 9: bodies and methods a browser never sends get a clear 4xx", () => {
  const pages = ["/admin/sign-in", "/admin/forgot-password", `/admin/reset-password/${TOKEN}`, "/admin/sign-out", PETITION, "/privacy/my-data", `/admin/campaigns/${0}/edit`];

  it.each([
    ["JSON", { "Content-Type": "application/json" }, '{"email":"a@b.c","password":"x"}', 415],
    ["text/plain", { "Content-Type": "text/plain" }, "email=a@b.c", 415],
    ["no content type", {}, "email=a@b.c", 415],
    ["broken multipart", { "Content-Type": "multipart/form-data; boundary=xyz" }, "--zz\r\nbroken", 400],
    ["multipart without a boundary", { "Content-Type": "multipart/form-data" }, "email=a@b.c", 400],
  ] as const)("%s: a 4xx with a message, signed in or not", async (_name, headers, body, status) => {
    for (const path of pages) {
      for (const cookie of [null, owner.cookie]) {
        const url = path.replace("/campaigns/0/", `/campaigns/${campaignId}/`);
        const r = await rawRequest(p.url, url, { method: "POST", headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) }, body });
        // A workspace page refuses a stranger before it reads anything; otherwise the body decides.
        const want = !cookie && (url.startsWith("/admin/campaigns") || url === "/admin/sign-out") ? [302, status] : [status];
        expect(want, `${url} ${cookie ? "signed in" : "anonymous"}: ${r.status} ${r.text.slice(0, 80)}`).toContain(r.status);
        if (r.status === status) expect(r.text).toMatch(/form|browser|could not be read|valid/i);
      }
    }
  });

  it("a backslash in the path, raw or encoded → 400 that says so, where \"/%5C\" once answered 500", async () => {
    for (const path of ["/%5C", "/%5c", "/%5C%5C", "/\\", `/campaigns/${DEMO.campaign}%5C`]) {
      for (const method of ["GET", "POST"]) {
        const r = await rawRequest(p.url, path, { method, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: method === "POST" ? "a=1" : undefined });
        expect(r.status, `${method} ${path}`).toBe(400);
        expect(r.text).toContain("backslash");
      }
    }
    // In the query string a backslash is only data.
    expect((await fetch(`${p.url}/campaigns/${DEMO.campaign}?q=%5C`)).status).toBe(200);
  });

  it("TRACE and methods no page takes → 405 with Allow, on any path; OPTIONS says what is allowed", async () => {
    for (const path of ["/", "/healthz", PETITION, "/admin", "/admin/sign-in", "/no/such/page", "/api/campaigns"]) {
      // A method Node's own parser does not know (TRACK) gets its 400 before any of this.
      expect((await rawRequest(p.url, path, { method: "TRACK" })).status).toBe(400);
      for (const method of ["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND"]) {
        const r = await rawRequest(p.url, path, { method });
        expect(r.status, `${method} ${path}`).toBe(405);
        expect(r.text).toContain("Method not allowed");
      }
      const options = await fetch(p.url + path, { method: "OPTIONS" });
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe("GET, HEAD, POST");
    }
  });

  it("sign-out with a session and an unreadable body keeps the session and says why", async () => {
    const r = await rawRequest(p.url, "/admin/sign-out", { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=xyz", Cookie: owner.cookie }, body: "--zz\r\nbroken" });
    expect(r.status).toBe(400);
    expect((await owner.fetch("/admin")).status).toBe(200);
  });
});
