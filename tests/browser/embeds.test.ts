import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmationLinkFor, fillSignForm, launchBrowser, newContext } from "../support/browser";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";

const EMBED_PATH = `/embed/campaigns/${DEMO.campaign}/${DEMO.action}`;

/** A partner's page on its own loopback port: it frames the action the way the workspace snippet says. */
async function partnerSite(appUrl: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    const { port } = server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;
    const src = `${appUrl}${EMBED_PATH}?origin=${encodeURIComponent(origin)}`;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>Partner</title><h1>Our partners</h1>
<iframe data-inkwell-embed src="${src}" title="Take action" style="width:100%;border:0;height:300px" onload="document.body.dataset.framed='yes'"></iframe>
<script src="${appUrl}/embed.js" async></script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let p: TestPlatform;
let allowed: { origin: string; server: Server };
let refused: { origin: string; server: Server };
let admin: SignedIn;
let campaignId: number;

beforeAll(async () => {
  p = await startTestPlatform();
  [allowed, refused] = await Promise.all([partnerSite(p.url), partnerSite(p.url)]);
  admin = await signIn(p.url, await createCampaigner(p.database.db, { role: "admin", tag: "embeds" }));
  campaignId = (await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  for (const site of [allowed, refused]) site?.server.close();
  await p?.stop();
});

const edit = (fields: Record<string, string>) => admin.post(`/admin/campaigns/${campaignId}/edit`, { intent: "embeds", ...fields });
const storedOrigins = async () =>
  (await p.database.db.selectFrom("campaigns").select("embed_origins").where("id", "=", campaignId).executeTakeFirstOrThrow()).embed_origins;

describe("embed headers and the partner list", () => {
  it("frames nothing while the campaign lists no partner", async () => {
    const res = await fetch(p.url + EMBED_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("bad input: an origin that is not https, or is more than an origin, is an error next to the field and nothing is saved", async () => {
    for (const bad of ["http://partner.example.org", "https://partner.example.org/petitions", "partner.example.org", "https://user@partner.example.org", "javascript:alert(1)"]) {
      const res = await edit({ embedOrigins: bad });
      expect(res.status, bad).toBe(400);
      expect(await res.text(), bad).toMatch(/https:\/\/|origin|web address/);
    }
    expect(await storedOrigins()).toEqual([]);
    expect((await edit({ embedOrigins: Array.from({ length: 21 }, (_, i) => `https://p${i}.example.org`).join("\n") })).status).toBe(400);
    expect(await storedOrigins()).toEqual([]);
  });

  it("saves the list from the workspace with an audit row, and shows the snippet", async () => {
    const res = await edit({ embedOrigins: `${allowed.origin}\nhttps://Partner.example.org/\n${allowed.origin}` });
    expect(res.status).toBe(200);
    expect(await storedOrigins()).toEqual([allowed.origin, "https://partner.example.org"]);
    const audit = await p.database.db.selectFrom("audit_log").select(["action", "details"]).where("campaign_id", "=", campaignId).where("action", "=", "campaign.embeds").executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ added: [allowed.origin, "https://partner.example.org"], removed: [] });
    const page = await (await admin.fetch(`/admin/campaigns/${campaignId}/edit`)).text();
    expect(page).toContain(`${EMBED_PATH}?origin=${encodeURIComponent(allowed.origin)}`);
    expect(page).toContain("/embed.js");
  });

  it("bad input: the database refuses an origin list the form would refuse", async () => {
    await expect(p.database.db.updateTable("campaigns").set({ embed_origins: ["http://partner.example.org"] }).where("id", "=", campaignId).execute()).rejects.toThrow(/check/);
  });

  it("lets exactly the listed origins frame the embed route, and no other page", async () => {
    const res = await fetch(p.url + EMBED_PATH);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(/frame-ancestors ([^;]*)/.exec(csp)?.[1]).toBe(`${allowed.origin} https://partner.example.org`);
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("x-inkwell-frame-ancestors")).toBeNull();
    for (const path of [`/campaigns/${DEMO.campaign}/${DEMO.action}`, `/campaigns/${DEMO.campaign}`, "/"]) {
      const normal = await fetch(p.url + path);
      expect(normal.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(normal.headers.get("x-frame-options"), path).toBe("DENY");
    }
    expect((await fetch(`${p.url}/embed/campaigns/no-such-campaign/${DEMO.action}`)).status).toBe(404);
    const script = await fetch(`${p.url}/embed.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("inkwell:embed-height");
  });
});

describe("bad input to the embed route", () => {
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const fields = "name=Rosa&email=rosa.cross%40example.org&country=PE";
  const signatures = async () => Number((await p.database.db.selectFrom("signatures").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("refuses a post made by the partner's page itself (cross-site), a body that is not a form, and an unknown campaign, writing nothing", async () => {
    const before = await signatures();
    const url = `${p.url}${EMBED_PATH}?index&origin=${encodeURIComponent(allowed.origin)}`;
    const cross = await fetch(url, { method: "POST", headers: { ...form, Origin: allowed.origin, "Sec-Fetch-Site": "cross-site" }, body: fields });
    expect(cross.status).toBe(403);
    const json = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{\"email\":1}" });
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
    const unknown = await fetch(`${p.url}/embed/campaigns/no-such-campaign/${DEMO.action}?index`, { method: "POST", headers: form, body: fields });
    expect(unknown.status).toBe(404);
    expect(await signatures()).toBe(before);
  });

  it("ignores an ?origin= that is not on the list: no partner source, no height message target", async () => {
    const res = await fetch(`${p.url}${EMBED_PATH}?origin=${encodeURIComponent("https://evil.example.net")}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // The page's loader data names no partner, so the page posts its height to nobody.
    expect(html).toContain('"partner":null');
    expect(html).not.toMatch(/"partner":"https:\/\/evil/);
  });
});

describe("an action framed on a partner's page", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    await p.database.db.updateTable("campaigns").set({ embed_origins: [allowed.origin, "https://partner.example.org"] }).where("id", "=", campaignId).execute();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const actionFrame = (pg: Page): Frame => pg.frames().find((f) => f !== pg.mainFrame())!;

  it("renders and signs inside the frame on an allowed origin, sized by the script, recording the partner as the source", async () => {
    context = await newContext(browser, p, { javaScript: true });
    page = await context.newPage();
    await page.goto(allowed.origin);
    const frame = page.frameLocator("iframe[data-inkwell-embed]");
    await frame.getByLabel("Full name", { exact: true }).waitFor();
    // The embedded page reports its height to the partner origin; /embed.js sizes the frame.
    await eventually(async () => (await page.locator("iframe").evaluate((el) => (el as HTMLIFrameElement).style.height)) !== "300px", 15_000, "the frame to be resized");
    await eventually(async () => {
      const f = actionFrame(page);
      return f && (await f.evaluate(() => document.querySelector("form") !== null && Object.keys(document.querySelector("form")!).some((k) => k.startsWith("__reactProps$"))));
    }, 15_000, "the framed form to hydrate");

    const email = "embedded.supporter@example.org";
    await fillSignForm(actionFrame(page) as unknown as Page, { name: "Rosa Mamani", email, country: "Peru" });
    await frame.getByRole("button", { name: /sign/i }).click();
    await frame.getByRole("heading", { level: 1, name: /check your email/i }).waitFor();

    const row = await eventually(
      () => p.database.db.selectFrom("signatures as s").innerJoin("supporters as u", "u.id", "s.supporter_id").select(["s.source", "s.status"]).where("u.email", "=", email).executeTakeFirst(),
      15_000,
      "the signature",
    );
    expect(row).toMatchObject({ source: `embed:${new URL(allowed.origin).host}`, status: "pending" });
    // Double opt-in is kept: the confirmation link arrives by email.
    expect(await confirmationLinkFor(p, email)).toContain("/confirm/");
    await context.close();
  });

  it("is refused by the browser on an origin not in the list", async () => {
    context = await newContext(browser, p, { javaScript: true });
    page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/frame-ancestors|Refused to frame/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(refused.origin);
    await page.waitForFunction(() => document.body.dataset.framed === "yes");
    const frame = actionFrame(page);
    const forms = frame ? await frame.evaluate(() => document.querySelectorAll("form").length).catch(() => 0) : 0;
    expect(forms).toBe(0);
    await eventually(async () => violations.length > 0, 10_000, "the frame-ancestors violation");
    await context.close();
  });
});
