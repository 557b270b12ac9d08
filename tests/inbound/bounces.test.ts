import type { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCampaigner } from "#db/seed";
import { mayMailUpdates } from "#db/queries/subscriptions";
import { deliverAction } from "#services/deliveries";
import { releaseOfficial } from "#services/held-letters";
import type { IntakeOutcome } from "#jobs/inbound/intake";
import { startInboundSmtp } from "#jobs/inbound/smtp-listener";
import { signIn, type SignedIn } from "../support/campaigner";
import { csvOf, letterAction, OFFICIALS, writeAndConfirm } from "../support/letters";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { arf, dsn, headersOf, offer } from "./reports";

describe("bounces and complaints coming back in over SMTP", () => {
  let p: TestPlatform;
  let inbound: SMTPServer;
  let port: number;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  const taken: IntakeOutcome[] = [];
  let owner: SignedIn;
  const db = () => p.database.db;
  const delivery = (id: number) => db().selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const toOfficial = (email: string) => p.smtp.messages.filter((m) => m.to.includes(email));

  async function deliverOne(targetId: number, email: string) {
    const before = toOfficial(email).length;
    const { batches } = await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [targetId] });
    await eventually(async () => (await delivery(batches[0]!)).status === "sent", 20_000, "batch sent");
    const mail = await eventually(async () => toOfficial(email)[before], 10_000, "batch mail");
    return { deliveryId: batches[0]!, mail };
  }
  async function feed(to: string, raw: string) {
    const n = taken.length;
    await offer(port, to, raw);
    return eventually(async () => taken[n], 10_000, "message taken");
  }

  beforeAll(async () => {
    process.env.BOUNCE_DOMAIN = "inkwell.test";
    process.env.SOFT_BOUNCE_LIMIT = "2";
    p = await startTestPlatform();
    ids = await letterAction(p);
    owner = await signIn(p.url, await seedDemoCampaigner(db())); // the campaign's owner, who is alerted
    inbound = await startInboundSmtp(db(), { port: 0, host: "127.0.0.1", maxBytes: 100_000, onTaken: (o) => taken.push(o) });
    port = (inbound.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => (inbound ? inbound.close(() => r()) : r()));
    await p?.stop();
  });

  it("gives every message a keyed return address and every batch a keyed Reply-To", async () => {
    const writer = await writeAndConfirm(p, [ids.justice]);
    const confirmation = p.smtp.to(writer.email)[0]!;
    expect(confirmation.mailFrom).toMatch(/^bounces\+c\.\d+\.[0-9a-f]{16}@inkwell\.test$/);
    const { deliveryId, mail } = await deliverOne(ids.justice, OFFICIALS.justice);
    expect(mail.mailFrom).toMatch(new RegExp(`^bounces\\+d\\.${deliveryId}-1\\.[0-9a-f]{16}@inkwell\\.test$`));
    expect(mail.parsed.replyTo?.text).toMatch(new RegExp(`^reply\\+${deliveryId}\\.[0-9a-f]{16}@inkwell\\.test$`));
  });

  it("records a receiving server's acceptance of a batch part", async () => {
    await writeAndConfirm(p, [ids.justice]);
    const { deliveryId, mail } = await deliverOne(ids.justice, OFFICIALS.justice);
    const outcome = await feed(mail.mailFrom, dsn({
      to: mail.mailFrom, action: "delivered", status: "2.0.0", diagnostic: "250 2.0.0 Ok: queued", recipient: OFFICIALS.justice, originalHeaders: headersOf(mail.raw),
    }));
    expect(outcome).toEqual({ outcome: "applied", event: "accepted" });
    const part = await db().selectFrom("delivery_parts").selectAll().where("delivery_id", "=", deliveryId).executeTakeFirstOrThrow();
    expect(part.accepted_at).not.toBeNull();
    expect((await delivery(deliveryId)).status).toBe("sent");
  });

  it("a hard bounce fails the batch, flags the official, holds their letters, alerts the owner; a corrected address releases them", async () => {
    const writer = await writeAndConfirm(p, [ids.pardons]);
    const { deliveryId, mail } = await deliverOne(ids.pardons, OFFICIALS.pardons);
    const page = async () => (await fetch(`${p.url}/campaigns/peru-innocent-prisoners`)).text();
    const outcome = await feed(mail.mailFrom, dsn({
      to: mail.mailFrom, action: "failed", status: "5.1.1", recipient: OFFICIALS.pardons,
      diagnostic: `550 5.1.1 <${OFFICIALS.pardons}>: Recipient address rejected: User unknown`, originalHeaders: headersOf(mail.raw),
    }));
    expect(outcome).toEqual({ outcome: "applied", event: "hard_bounce" });
    const d = await delivery(deliveryId);
    expect(d.status).toBe("failed");
    expect(d.bounced_at).not.toBeNull();
    expect(d.error).toMatch(/User unknown/);
    expect(d.error).not.toContain(OFFICIALS.pardons);
    const target = await db().selectFrom("targets").selectAll().where("id", "=", ids.pardons).executeTakeFirstOrThrow();
    expect(target.email_bounced_at).not.toBeNull();
    expect(target.email_bounce_reason).toMatch(/5\.1\.1/);
    const alert = await eventually(async () => p.smtp.messages.find((m) => m.subject.startsWith("[Inkwell] The address of")), 15_000, "owner alert");
    expect(alert.to).toContain("campaigner@inkwell.example");
    expect(alert.text).toMatch(/held, not lost/);
    const official = await db().selectFrom("targets").select("name").where("id", "=", ids.pardons).executeTakeFirstOrThrow();
    expect(await page()).not.toMatch(new RegExp(`delivered to ${official.name}`));
    const campaign = await db().selectFrom("campaigns").select("id").where("slug", "=", "peru-innocent-prisoners").executeTakeFirstOrThrow();
    expect(await (await owner.fetch(`/admin/campaigns/${campaign.id}/deliveries`)).text()).toMatch(/Bounced: 1 part\(s\)/);
    expect(await (await owner.fetch("/admin/officials")).text()).toMatch(/Address bounced: letters held until it is corrected/);

    // New letters wait; nothing is sent to the dead address.
    const later = await writeAndConfirm(p, [ids.pardons]);
    const sentBefore = toOfficial(OFFICIALS.pardons).length;
    expect(await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [ids.pardons] })).toEqual({ batches: [], held: [ids.pardons] });

    // The corrected address gets the held batch again (same Message-ID), and then the new letters.
    const fixed = "pardons-office@minjus-pe.example";
    await db().updateTable("targets").set({ email: fixed }).where("id", "=", ids.pardons).execute();
    expect(await releaseOfficial(db(), ids.pardons)).toEqual([deliveryId]);
    const again = await eventually(async () => toOfficial(fixed)[0], 20_000, "held batch re-sent");
    expect(again.messageId).toBe(mail.messageId);
    expect(csvOf(again).map((r) => r[0])).toContain(writer.name);
    expect(toOfficial(OFFICIALS.pardons)).toHaveLength(sentBefore);
    await eventually(async () => (await delivery(deliveryId)).status === "sent", 20_000, "released batch sent");
    const next = await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [ids.pardons] });
    expect(next.batches).toHaveLength(1);
    const newMail = await eventually(async () => toOfficial(fixed)[1], 20_000, "new letters");
    expect(csvOf(newMail).slice(1).map((r) => r[0])).toEqual([later.name]);
  });

  it("a temporary bounce re-sends the same part, then counts as failed at the limit", async () => {
    await writeAndConfirm(p, [ids.justice]);
    const { deliveryId, mail } = await deliverOne(ids.justice, OFFICIALS.justice);
    const soft = () => dsn({
      to: mail.mailFrom, action: "failed", status: "4.2.2", recipient: OFFICIALS.justice, diagnostic: "452 4.2.2 Mailbox full", originalHeaders: headersOf(mail.raw),
    });
    const before = toOfficial(OFFICIALS.justice).length;
    expect(await feed(mail.mailFrom, soft())).toEqual({ outcome: "applied", event: "soft_bounce" });
    const resent = await eventually(async () => toOfficial(OFFICIALS.justice)[before], 20_000, "part re-sent");
    expect(resent.messageId).toBe(mail.messageId);
    await eventually(async () => (await delivery(deliveryId)).status === "sent", 20_000, "sent again");
    await feed(mail.mailFrom, soft());
    const d = await delivery(deliveryId);
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(/Gave up after 2 temporary bounces: 452 4\.2\.2 Mailbox full/);
    const target = await db().selectFrom("targets").select("email_bounced_at").where("id", "=", ids.justice).executeTakeFirstOrThrow();
    expect(target.email_bounced_at).toBeNull();
  });

  it("a complaint through the feedback loop suppresses the supporter", async () => {
    const writer = await writeAndConfirm(p, [ids.justice], { updates: "on" });
    const confirmation = p.smtp.to(writer.email)[0]!;
    const supporter = await db().selectFrom("supporters").select("id").where("email", "=", writer.email).executeTakeFirstOrThrow();
    const outcome = await feed("bounces@inkwell.test", arf({
      to: "bounces@inkwell.test", originalMailFrom: confirmation.mailFrom, originalHeaders: headersOf(confirmation.raw),
    }));
    expect(outcome).toEqual({ outcome: "applied", event: "complaint" });
    const rows = await db().selectFrom("suppressions").selectAll().where((eb) => eb.or([eb("supporter_id", "=", supporter.id), eb("email", "=", writer.email)])).execute();
    expect(rows.map((r) => r.reason)).toEqual(["complaint", "complaint"]);
    const campaign = await db().selectFrom("campaigns").select("id").executeTakeFirstOrThrow();
    expect(await mayMailUpdates(db(), supporter.id, campaign.id)).toBeUndefined();
  });

  it("refuses forged return addresses at the door and parks unusable reports, changing nothing", async () => {
    await writeAndConfirm(p, [ids.justice]);
    const { deliveryId, mail } = await deliverOne(ids.justice, OFFICIALS.justice);
    const forged = mail.mailFrom.replace(/\.[0-9a-f]{16}@/, ".0123456789abcdef@");
    const hard = (to: string, headers: string) => dsn({ to, action: "failed", status: "5.1.1", recipient: OFFICIALS.justice, diagnostic: "550 5.1.1 unknown", originalHeaders: headers });
    await expect(offer(port, forged, hard(forged, headersOf(mail.raw).replace(mail.mailFrom, forged)))).rejects.toMatchObject({ responseCode: 550 });
    await expect(offer(port, "someone@inkwell.test", "Subject: hi\r\n\r\nhello")).rejects.toMatchObject({ responseCode: 550 });
    await expect(offer(port, "bounces@other.example", "Subject: hi\r\n\r\nhello")).rejects.toMatchObject({ responseCode: 550 });

    // Through the plain feedback address: a report naming a forged return address, one naming none, an out-of-office, garbage.
    const parked = [
      await feed("bounces@inkwell.test", hard("bounces@inkwell.test", headersOf(mail.raw).replace(mail.mailFrom, forged))),
      await feed("bounces@inkwell.test", arf({ to: "bounces@inkwell.test", originalMailFrom: null, originalHeaders: "Subject: something" })),
      await feed(mail.mailFrom, "From: ministro@minjus-pe.example\r\nSubject: Out of office\r\n\r\nI am away until Monday."),
      await feed(mail.mailFrom, 'Content-Type: multipart/report; report-type=delivery-status; boundary="x"\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n\x00\x01garbage\r\n--x'),
    ];
    expect(parked.map((o) => o.outcome)).toEqual(["parked", "parked", "parked", "parked"]);
    const reasons = (await db().selectFrom("inbound_parked").select("reason").orderBy("id").execute()).map((r) => r.reason);
    expect(reasons.slice(-4)).toEqual([
      "names no message of ours (no valid return address)",
      "names no message of ours (no valid return address)",
      "neither a delivery status nor a feedback report",
      "delivery status report without a recipient block",
    ]);
    // Too big: refused during the dialogue.
    await expect(offer(port, mail.mailFrom, `Subject: big\r\n\r\n${"x".repeat(150_000)}`)).rejects.toMatchObject({ responseCode: 552 });
    expect((await delivery(deliveryId)).status).toBe("sent");
    expect((await db().selectFrom("targets").select("email_bounced_at").where("id", "=", ids.justice).executeTakeFirstOrThrow()).email_bounced_at).toBeNull();
  });
});
