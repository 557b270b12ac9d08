import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressionHash } from "#core/keys";
import { eraseSupporter } from "#db/queries/privacy";
import { mayMailUpdates } from "#db/queries/subscriptions";
import { deliverAction } from "#services/deliveries";
import { letterAction, OFFICIALS, writeAndConfirm } from "../support/letters";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";

const KEY = "mailgun-test-signing-key-0123456789";

describe("the Mailgun bounce and complaint webhook", () => {
  let p: TestPlatform;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  const db = () => p.database.db;

  function signed(eventData: Record<string, unknown>, o: { key?: string; timestamp?: number; token?: string } = {}) {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const token = o.token ?? randomBytes(25).toString("hex");
    const signature = createHmac("sha256", o.key ?? KEY).update(timestamp + token).digest("hex");
    return { signature: { timestamp, token, signature }, "event-data": eventData };
  }
  const post = (body: unknown) =>
    fetch(`${p.url}/webhooks/mailgun`, { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  beforeAll(async () => {
    process.env.MAILGUN_WEBHOOK_SIGNING_KEY = KEY;
    p = await startTestPlatform();
    ids = await letterAction(p);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("a signed permanent failure suppresses the supporter; after erasure only a keyed hash of the address remains", async () => {
    const writer = await writeAndConfirm(p, [ids.justice], { updates: "on" });
    const mail = p.smtp.to(writer.email)[0]!;
    const failed = signed({
      event: "failed", severity: "permanent", recipient: writer.email, envelope: { sender: mail.mailFrom, targets: writer.email },
      "delivery-status": { code: 550, "enhanced-code": "5.1.1", message: `5.1.1 <${writer.email}> mailbox does not exist` },
    });
    const res = await post(failed);
    expect(res.status).toBe(200);
    const supporter = await db().selectFrom("supporters").select("id").where("email", "=", writer.email).executeTakeFirstOrThrow();
    const event = await db().selectFrom("mail_events").selectAll().where("supporter_id", "=", supporter.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ source: "mailgun", event: "hard_bounce", status_code: "5.1.1" });
    expect(event.remote_reason).not.toContain(writer.email);

    // The same event again is a replay.
    expect((await post(failed)).status).toBe(409);

    await db().transaction().execute((trx) => eraseSupporter(trx, supporter.id));
    const rows = await db().selectFrom("suppressions").selectAll().where("reason", "=", "hard_bounce").execute();
    expect(rows.some((r) => r.email === writer.email)).toBe(false);
    expect(rows.some((r) => r.email_hash?.equals(suppressionHash(writer.email)))).toBe(true);
    // Someone signing again with that address is not mailed updates.
    const newcomer = await db().insertInto("supporters").values({ email: writer.email }).returning("id").executeTakeFirstOrThrow();
    const campaign = await db().selectFrom("campaigns").select("id").executeTakeFirstOrThrow();
    expect(await mayMailUpdates(db(), newcomer.id, campaign.id)).toBeUndefined();
  });

  it("a complaint about a batch marks its part", async () => {
    await writeAndConfirm(p, [ids.justice]);
    const { batches } = await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const mail = await eventually(async () => p.smtp.messages.find((m) => m.to.includes(OFFICIALS.justice)), 20_000, "batch");
    expect((await post(signed({ event: "complained", envelope: { sender: mail.mailFrom } }))).status).toBe(200);
    const part = await db().selectFrom("delivery_parts").selectAll().where("delivery_id", "=", batches[0]!).executeTakeFirstOrThrow();
    expect(part.complained_at).not.toBeNull();
  });

  it("refuses unsigned, wrongly signed, stale, malformed and oversized events, and parks unmatched ones, changing nothing", async () => {
    const writer = await writeAndConfirm(p, [ids.justice], { updates: "on" });
    const mail = p.smtp.to(writer.email)[0]!;
    const data = { event: "failed", severity: "permanent", envelope: { sender: mail.mailFrom } };
    const before = await db().selectFrom("suppressions").select("id").execute();
    expect((await post({ "event-data": data })).status).toBe(400);
    expect((await post(signed(data, { key: "another-key-another-key-another" }))).status).toBe(401);
    expect((await post(signed(data, { timestamp: Math.floor(Date.now() / 1000) - 3600 }))).status).toBe(401);
    expect((await post("{not json")).status).toBe(400);
    expect((await post(signed({ ...data, padding: "x".repeat(70_000) }))).status).toBe(413);
    const forged = mail.mailFrom.replace(/\.[0-9a-f]{16}@/, ".0123456789abcdef@");
    const unmatched = await post(signed({ ...data, envelope: { sender: forged } }));
    expect(unmatched.status).toBe(406);
    expect(await unmatched.text()).toMatch(/names no message of ours/);
    expect((await post(signed({ event: "opened", envelope: { sender: mail.mailFrom } }))).status).toBe(406);
    expect(await db().selectFrom("suppressions").select("id").execute()).toEqual(before);
    const parked = await db().selectFrom("inbound_parked").select(["source", "reason"]).where("source", "=", "mailgun").execute();
    expect(parked.length).toBeGreaterThanOrEqual(2);
  });
});
