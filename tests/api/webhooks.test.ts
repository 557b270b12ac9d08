import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointUrlProblem, isPublicAddress } from "#services/webhook-send";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailTo, postConfirm, sign, supporter } from "../support/supporter";

// Endpoints on loopback are allowed here only because this test says so; production refuses them.
process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = "true";
process.env.WEBHOOK_RETRY_DELAY_MS = "50";
process.env.WEBHOOK_ATTEMPTS = "3";
process.env.WEBHOOK_PAUSE_AFTER_FAILURES = "3";

interface Received { headers: http.IncomingHttpHeaders; body: string }

/** A receiver on loopback that records what it is sent and answers `status`. */
async function receiver(status: number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status, { "Content-Type": "text/plain" }).end(status < 300 ? "ok" : `nope ${"x".repeat(5000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, close: () => new Promise((r) => server.close(r)) };
}

/** Verifies a delivery as a receiver would: v1 signature over id.timestamp.body with the secret's bytes. */
function verify(secret: string, r: Received): boolean {
  const id = String(r.headers["webhook-id"]);
  const ts = String(r.headers["webhook-timestamp"]);
  const expected = createHmac("sha256", Buffer.from(secret.replace(/^whsec_/, ""), "base64")).update(`${id}.${ts}.${r.body}`).digest();
  return String(r.headers["webhook-signature"]).split(" ").some((sig) => {
    const [version, value] = sig.split(",");
    const got = Buffer.from(value ?? "", "base64");
    return version === "v1" && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

let p: TestPlatform;
let owner: SignedIn;
let campaignId: number;
let good: Awaited<ReturnType<typeof receiver>>;
let bad: Awaited<ReturnType<typeof receiver>>;

async function addEndpoint(url: string, events?: string[]) {
  const all = ["signature.confirmed", "letter.delivered", "supporter.unsubscribed", "supporter.erased", "outcome.recorded"];
  const res = await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { intent: "add", url, events: events ?? all });
  return { status: res.status, html: await res.text() };
}
const secretOf = (html: string) => /whsec_[A-Za-z0-9+/=]+/.exec(html)?.[0];

beforeAll(async () => {
  [good, bad] = await Promise.all([receiver(204), receiver(500)]);
  p = await startTestPlatform();
  campaignId = (await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  owner = await signIn(p.url, await createCampaigner(p.database.db, { campaignIds: [campaignId], tag: "hooks" }));
});
afterAll(async () => {
  await p?.stop();
  await good?.close();
  await bad?.close();
});

describe("signed webhooks", () => {
  it("refuses addresses that are not public, not HTTPS or malformed when private addresses are not allowed", () => {
    for (const url of ["http://example.org/x", "https://127.0.0.1/x", "https://10.1.2.3/x", "https://[::1]/x", "https://169.254.169.254/latest", "https://localhost/x", "https://user:pw@example.org/", "not a url"]) {
      expect(endpointUrlProblem(url, false), url).not.toBeNull();
    }
    expect(endpointUrlProblem("https://crm.example.org/hooks", false)).toBeNull();
    expect(isPublicAddress("93.184.216.34")).toBe(true);
    for (const ip of ["127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1", "169.254.1.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "0.0.0.0"]) expect(isPublicAddress(ip), ip).toBe(false);
  });

  it("delivers a confirmed signature and an unsubscription once each, signed, with ids and no address", async () => {
    const added = await addEndpoint(good.url);
    expect(added.status).toBe(200);
    const secret = secretOf(added.html)!;
    expect(secret).toBeTruthy();
    const row = await p.database.db.selectFrom("webhook_endpoints").select("secret").executeTakeFirstOrThrow();
    expect(row.secret).toBe(secret);
    expect(await (await owner.fetch(`/admin/campaigns/${campaignId}/webhooks`)).text()).not.toContain(secret);

    const ana = supporter("hook-ana");
    await sign(p, ana);
    const link = confirmLink((await mailTo(p, ana.email)).text);
    expect((await postConfirm(link)).status).toBe(302);
    expect((await postConfirm(link)).status).toBe(302); // confirming twice emits nothing more
    const [first] = await eventually(async () => (good.received.length >= 1 ? good.received : null), 15_000, "the first delivery");
    expect(verify(secret, first!)).toBe(true);
    // Another first character (a secret that already began with "A" was not changed by putting one there).
    expect(verify(secret.replace(/^whsec_(.)/, (_, c: string) => `whsec_${c === "A" ? "B" : "A"}`), first!)).toBe(false);
    const event = JSON.parse(first!.body) as { type: string; data: Record<string, unknown> };
    expect(event.type).toBe("signature.confirmed");
    expect(event.data).toMatchObject({ campaign: DEMO.campaign, action: DEMO.action, signature_id: expect.any(Number), person_id: expect.any(Number) });
    expect(first!.body).not.toContain(ana.email);
    expect(first!.headers["webhook-id"]).toMatch(/^msg_\d+$/);
    expect(Math.abs(Number(first!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);

    const supporterId = event.data.person_id as number;
    await p.database.db.insertInto("subscriptions").values({ supporter_id: supporterId, campaign_id: campaignId }).onConflict((oc) => oc.doNothing()).execute();
    const { unsubscribedEvent } = await import("#services/webhook-events");
    await p.database.db.updateTable("subscriptions").set({ unsubscribed_at: new Date() }).where("supporter_id", "=", supporterId).execute();
    await unsubscribedEvent(p.database.db, supporterId, campaignId);
    await unsubscribedEvent(p.database.db, supporterId, campaignId);
    await eventually(async () => good.received.length >= 2, 15_000, "the unsubscription");
    await new Promise((r) => setTimeout(r, 500));
    const types = good.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types.sort()).toEqual(["signature.confirmed", "supporter.unsubscribed"]);
    expect(new Set(good.received.map((r) => r.headers["webhook-id"])).size).toBe(2);
    const log = await p.database.db.selectFrom("webhook_deliveries").select(["status", "response_status", "attempts"]).execute();
    expect(log.every((d) => d.status === "sent" && d.response_status === 204 && d.attempts === 1)).toBe(true);
  });

  it("retries a failing endpoint, logs a bounded excerpt, pauses it and alerts the owners; a replay sends it again", async () => {
    await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { change: "delete", id: String((await p.database.db.selectFrom("webhook_endpoints").select("id").executeTakeFirstOrThrow()).id) });
    const added = await addEndpoint(bad.url, ["signature.confirmed"]);
    expect(added.status).toBe(200);
    const ben = supporter("hook-ben");
    await sign(p, ben);
    expect((await postConfirm(confirmLink((await mailTo(p, ben.email)).text))).status).toBe(302);
    const endpoint = await eventually(
      async () => p.database.db.selectFrom("webhook_endpoints").selectAll().where("url", "=", bad.url).where("paused_at", "is not", null).executeTakeFirst(),
      20_000,
      "the endpoint to pause",
    );
    expect(endpoint.consecutive_failures).toBe(3);
    expect(bad.received).toHaveLength(3);
    expect(new Set(bad.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const delivery = await p.database.db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpoint.id).executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: "failed", response_status: 500, attempts: 3 });
    expect(delivery.response_excerpt!.length).toBeLessThanOrEqual(512);
    const alert = await eventually(async () => p.smtp.messages.find((m) => m.subject === "[Inkwell] A webhook endpoint was paused"), 10_000, "the alert");
    // The endpoint is named by its host; its full address (often holding a token) stays in the workspace.
    expect(alert.text).toContain(new URL(bad.url).host);
    expect(alert.text).not.toContain(bad.url);
    // Paused: nothing more is sent until it is resumed and the delivery replayed.
    await new Promise((r) => setTimeout(r, 300));
    expect(bad.received).toHaveLength(3);
    await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { change: "resume", id: String(endpoint.id) });
    const replay = await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { change: "replay", id: String(delivery.id) });
    expect(replay.status).toBe(200);
    await eventually(async () => bad.received.length >= 4, 10_000, "the replay");
    expect(bad.received[3]!.headers["webhook-id"]).toBe(`msg_${delivery.id}`);
  });

  it("answers bad endpoint forms with a 4xx and a message", async () => {
    expect((await addEndpoint("ftp://example.org/x")).status).toBe(400);
    expect((await addEndpoint("")).status).toBe(400);
    expect((await addEndpoint(good.url, [])).status).toBe(400);
    expect((await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { intent: "add", url: good.url, events: ["no.such.event"] })).status).toBe(400);
    expect((await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { change: "replay", id: "999999" })).status).toBe(404);
  });
});
