import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepOutbox } from "#jobs/maintenance";
import { createCampaigner, signIn } from "../support/campaigner";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { startOwnRedis, type OwnRedis } from "../support/redis";
import { mailTo, postConfirm, sign, supporter } from "../support/supporter";

// A row written before its job is only safe if something sends it when the job is lost. Signatures
// have had that sweeper from the start; reset requests and webhook deliveries are written the same
// way (row first, then the job), so a Redis outage between the two must only delay them.
process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = "true";

let redis: OwnRedis;
let p: TestPlatform;
let server: http.Server;
const received: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  redis = await startOwnRedis();
  p = await startTestPlatform({ redisUrl: redis.url });
});
afterAll(async () => {
  await p?.stop();
  await redis?.kill();
  await new Promise((r) => server?.close(r));
});

describe("rows recorded while Redis is down", () => {
  it("sends the reset link and the webhook once Redis is back, and only once", { timeout: 90_000 }, async () => {
    const { db } = p.database;
    const campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
    const account = await createCampaigner(db, { campaignIds: [campaignId], tag: "outbox" });
    const owner = await signIn(p.url, account);
    const hooks = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    expect((await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { intent: "add", url: hooks, events: ["signature.confirmed"] })).status).toBe(200);
    const ana = supporter("outbox-ana");
    await sign(p, ana);
    const link = confirmLink((await mailTo(p, ana.email)).text);

    await redis.kill();
    // Both requests answer as usual: the rows are committed, only their jobs are lost.
    const forgot = await fetch(`${p.url}/admin/forgot-password`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url },
      body: new URLSearchParams({ email: account.email }),
    });
    expect(forgot.status).toBeLessThan(400);
    expect((await postConfirm(link)).status).toBe(302);
    expect(await db.selectFrom("password_reset_requests").select("id").where("sent_at", "is", null).execute()).toHaveLength(1);
    expect(await db.selectFrom("webhook_deliveries").select("id").where("status", "=", "pending").where("attempts", "=", 0).execute()).toHaveLength(1);
    expect(p.smtp.to(account.email)).toHaveLength(0);
    expect(received).toHaveLength(0);

    await redis.restart();
    const reset = await eventually(async () => p.smtp.to(account.email)[0], 45_000, "the reset link after the outage");
    expect(reset.text).toMatch(/\/admin\/reset-password\/[A-Za-z0-9_-]+/);
    await eventually(async () => received.length >= 1, 45_000, "the webhook after the outage");
    expect(JSON.parse(received[0]!)).toMatchObject({ type: "signature.confirmed" });

    // Sent means swept no more: nothing is left for the sweeper, so nothing can go twice. Each row is
    // marked in the transaction that sent it, which commits a moment after the SMTP server or the
    // endpoint has its copy: the sweep below runs once both marks are committed.
    await eventually(async () => (await db.selectFrom("webhook_deliveries").select("status").executeTakeFirstOrThrow()).status === "sent", 15_000, "the delivery marked sent");
    await eventually(async () => (await db.selectFrom("password_reset_requests").select("id").where("sent_at", "is", null).execute()).length === 0, 15_000, "the reset request marked sent");
    expect(await sweepOutbox(db, 0)).toEqual({ resets: 0, webhooks: 0 });
    expect(p.smtp.to(account.email)).toHaveLength(1);
    expect(received).toHaveLength(1);
  });
});
