import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaveAllCampaigns, suppressAddress, unsubscribe } from "#db/queries/subscriptions";
import { updateStats } from "#db/queries/updates";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { fanOutUpdate, sendUpdate } from "#jobs/updates";
import { queueFanOut } from "#services/updates";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { addSupporter, demoCampaign, draftUpdate, listUnsubscribeUrl, markDue, oneClick, rawHeader, sentUpdate } from "./support";

const tag = `${process.pid}`;
const who = {
  en: `u1.en.${tag}@example.org`,
  es: `u2.es.${tag}@example.org`,
  twoActions: `u3.two.${tag}@example.org`,
  noConsent: `u4.noconsent.${tag}@example.org`,
  pending: `u5.pending.${tag}@example.org`,
  unsubscribed: `u6.unsub.${tag}@example.org`,
  erased: `u7.erased.${tag}@example.org`,
  bounced: `u8.bounced.${tag}@example.org`,
  leftAll: `u9.leftall.${tag}@example.org`,
};
const receivers = [who.en, who.es, who.twoActions];

describe("an update reaches consenting, subscribed supporters once, in their language", () => {
  let p: TestPlatform;
  const ids = {} as Record<keyof typeof who, number>;

  beforeAll(async () => {
    process.env.MAIL_RATE_PER_SECOND = "200";
    p = await startTestPlatform();
    const db = p.database.db;
    const { campaignId } = await demoCampaign(db);
    ids.en = await addSupporter(db, { email: who.en });
    ids.es = await addSupporter(db, { email: who.es, language: "es" });
    ids.twoActions = await addSupporter(db, { email: who.twoActions, actions: ["free-the-innocent", "resource-the-pardon-commission"] });
    ids.noConsent = await addSupporter(db, { email: who.noConsent, optIn: false });
    ids.pending = await addSupporter(db, { email: who.pending, status: "pending" });
    ids.unsubscribed = await addSupporter(db, { email: who.unsubscribed });
    await unsubscribe(db, ids.unsubscribed, campaignId);
    ids.erased = await addSupporter(db, { email: who.erased });
    await db.updateTable("supporters").set({ erased_at: new Date() }).where("id", "=", ids.erased).execute();
    ids.bounced = await addSupporter(db, { email: who.bounced });
    await suppressAddress(db, who.bounced, "hard_bounce");
    ids.leftAll = await addSupporter(db, { email: who.leftAll });
    await leaveAllCampaigns(db, ids.leftAll, campaignId);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("sends once to each member of the audience even when the send is triggered four times at once", async () => {
    const db = p.database.db;
    const updateId = await draftUpdate(db);
    await markDue(db, updateId);
    const at = new Date();
    await Promise.all([queueFanOut(updateId, at), queueFanOut(updateId, new Date(at.getTime() + 1)), fanOutUpdate(db, updateId), fanOutUpdate(db, updateId)]);
    const update = await sentUpdate(p, updateId);
    await new Promise((r) => setTimeout(r, 500)); // any duplicate would have arrived by now

    for (const email of receivers) expect(p.smtp.to(email), email).toHaveLength(1);
    for (const email of Object.values(who).filter((e) => !receivers.includes(e))) expect(p.smtp.to(email), email).toHaveLength(0);
    expect(update.audience_size).toBe(3);

    const es = p.smtp.to(who.es)[0]!;
    expect(es.subject).toMatch(/^Novedad/);
    expect(es.text).toContain("Gracias a");
    const en = p.smtp.to(who.en)[0]!;
    expect(en.subject).toMatch(/^News/);
    expect(en.messageId).toBe(`<update.${updateId}.${ids.en}@inkwell.test>`);
    expect(en.html).toContain("<strong>you</strong>");
    expect(rawHeader(en, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(listUnsubscribeUrl(en)).toMatch(new RegExp(`^${p.url}/unsubscribe/${ids.en}-\\d+-[A-Za-z0-9_-]{22}$`));
    expect(en.text).toContain(listUnsubscribeUrl(en)); // the footer link, in the plain text too

    expect(await updateStats(db, updateId)).toMatchObject({ audience: 3, sent: 3, failed: 0, queued: 0, unsubscribedSince: 0 });
  });

  it("falls back to English for a supporter whose language the update lacks", async () => {
    const db = p.database.db;
    const before = p.smtp.to(who.es).length;
    const updateId = await draftUpdate(db, [{ language: "en", subject: "English only news", body: "Only in English." }]);
    await markDue(db, updateId);
    await fanOutUpdate(db, updateId);
    await sentUpdate(p, updateId);
    const mails = p.smtp.to(who.es);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)!.subject).toBe("English only news");
  });

  it("one-click unsubscribes without cookies or Origin checks, idempotently; GET changes nothing; later updates skip them", async () => {
    const db = p.database.db;
    const url = listUnsubscribeUrl(p.smtp.to(who.en)[0]!);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Unsubscribe");
    expect(await db.selectFrom("subscriptions").selectAll().where("supporter_id", "=", ids.en).execute()).toHaveLength(0);

    const first = await oneClick(url);
    expect(first.status).toBe(200);
    expect((await oneClick(url)).status).toBe(200);
    const row = await db.selectFrom("subscriptions").selectAll().where("supporter_id", "=", ids.en).executeTakeFirstOrThrow();
    expect(row.unsubscribed_at).not.toBeNull();
    const consent = await db.selectFrom("consents").select("withdrawn_at").where("supporter_id", "=", ids.en).where("kind", "=", "updates").executeTakeFirstOrThrow();
    expect(consent.withdrawn_at).not.toBeNull();

    const updateId = await draftUpdate(db);
    const sentBefore = p.smtp.to(who.en).length;
    await markDue(db, updateId);
    await fanOutUpdate(db, updateId);
    await sentUpdate(p, updateId);
    expect(p.smtp.to(who.en)).toHaveLength(sentBefore);
    expect(p.smtp.to(who.twoActions)).toHaveLength(3);
  });

  it("bad input: a tampered link and an unexpected one-click body are refused with a clear page, and change nothing", async () => {
    const db = p.database.db;
    const url = listUnsubscribeUrl(p.smtp.to(who.twoActions)[0]!);
    const tampered = url.replace(/\/(\d+)-(\d+)-/, (_m, s: string, c: string) => `/${Number(s) + 1}-${c}-`);
    const badGet = await fetch(tampered);
    expect(badGet.status).toBe(400);
    expect(await badGet.text()).toContain("This unsubscribe link is not valid");
    expect((await oneClick(tampered)).status).toBe(400);
    expect((await oneClick(url.slice(0, -3) + "AAA")).status).toBe(400);

    const unexpected = await oneClick(url, "List-Unsubscribe=Yes-Please");
    expect(unexpected.status).toBe(400);
    expect((await oneClick(url, "hello=world")).status).toBe(400);
    expect((await oneClick(url, "")).status).toBe(400);
    expect(await db.selectFrom("subscriptions").selectAll().where("supporter_id", "in", [ids.twoActions, ids.en + 1]).execute()).toHaveLength(0);
  });

  it("the page's buttons resubscribe and leave every campaign, without JavaScript", async () => {
    const db = p.database.db;
    const url = listUnsubscribeUrl(p.smtp.to(who.en)[0]!);
    const post = (intent: string) =>
      fetch(url, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(url).origin }, body: `intent=${intent}` });

    const back = await post("resubscribe");
    expect(back.status).toBe(200);
    expect(await back.text()).toContain("You are subscribed again");
    const row = await db.selectFrom("subscriptions").selectAll().where("supporter_id", "=", ids.en).executeTakeFirstOrThrow();
    expect(row.unsubscribed_at).toBeNull();

    const stats = await updateStats(db, (await db.selectFrom("updates").select("id").orderBy("id").executeTakeFirstOrThrow()).id);
    expect(stats.unsubscribedSince).toBe(0); // resubscribed: no longer counted

    const leave = await post("leave-all");
    expect(leave.status).toBe(200);
    expect(await leave.text()).toContain("You have left every campaign");
    const suppression = await db.selectFrom("suppressions").selectAll().where("supporter_id", "=", ids.en).executeTakeFirstOrThrow();
    expect(suppression.reason).toBe("unsubscribed");
    const first = await db.selectFrom("updates").select("id").orderBy("id").executeTakeFirstOrThrow();
    expect((await updateStats(db, first.id)).unsubscribedSince).toBe(1);
  });

  it("a hard bounce (550) marks the recipients failed and suppresses their addresses for later updates", async () => {
    const db = p.database.db;
    const refusedId = await draftUpdate(db);
    const before = p.smtp.attempts();
    p.smtp.failWith(550);
    await markDue(db, refusedId);
    await fanOutUpdate(db, refusedId);
    await sentUpdate(p, refusedId);
    p.smtp.failWith(null);
    const failed = await db.selectFrom("update_recipients").select(["supporter_id", "status", "error"]).where("update_id", "=", refusedId).execute();
    expect(failed.map((r) => r.supporter_id).sort()).toEqual([ids.es, ids.twoActions].sort());
    expect(p.smtp.attempts() - before).toBe(2); // refused once each, never retried
    expect(failed.every((r) => r.status === "failed" && r.error?.startsWith("SMTP 550"))).toBe(true);
    const suppressed = await db.selectFrom("suppressions").select(["email", "reason"]).where("reason", "=", "hard_bounce").execute();
    expect(suppressed.map((r) => r.email)).toEqual(expect.arrayContaining([who.es, who.twoActions]));
    expect((await updateStats(db, refusedId)).failed).toBe(2);

    const newcomer = `u10.newcomer.${tag}@example.org`;
    await addSupporter(db, { email: newcomer });
    const counts = { es: p.smtp.to(who.es).length, two: p.smtp.to(who.twoActions).length };
    const nextId = await draftUpdate(db);
    await markDue(db, nextId);
    await fanOutUpdate(db, nextId);
    await sentUpdate(p, nextId);
    await eventually(async () => p.smtp.to(newcomer).length === 1, 10_000, "the next update to arrive");
    expect(p.smtp.to(who.es)).toHaveLength(counts.es);
    expect(p.smtp.to(who.twoActions)).toHaveLength(counts.two);
  });

  it("checks again at send time: someone who unsubscribed or bounced after the fan-out is skipped", async () => {
    const db = p.database.db;
    const { campaignId } = await demoCampaign(db);
    const late = { unsub: `u11.late.${tag}@example.org`, bounce: `u12.late.${tag}@example.org`, stays: `u13.late.${tag}@example.org` };
    const unsubId = await addSupporter(db, { email: late.unsub });
    const bounceId = await addSupporter(db, { email: late.bounce });
    const staysId = await addSupporter(db, { email: late.stays });
    const updateId = await draftUpdate(db);
    await markDue(db, updateId);
    // The sends go to a queue no worker reads, so this test runs them by hand after the audience changed.
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const parked = new Queue("updates", { connection: redis, prefix: `${p.prefix}parked` });
    await fanOutUpdate(db, updateId, { queue: parked });
    await parked.obliterate({ force: true });
    await parked.close();
    redis.disconnect();

    await unsubscribe(db, unsubId, campaignId);
    await suppressAddress(db, late.bounce, "complaint");
    expect(await sendUpdate(db, { updateId, supporterId: unsubId })).toBe("skipped");
    expect(await sendUpdate(db, { updateId, supporterId: bounceId })).toBe("skipped");
    expect(await sendUpdate(db, { updateId, supporterId: staysId })).toBe("sent");
    expect(await sendUpdate(db, { updateId, supporterId: staysId })).toBe("skipped"); // a duplicate job finds it sent
    expect(p.smtp.to(late.unsub)).toHaveLength(0);
    expect(p.smtp.to(late.bounce)).toHaveLength(0);
    await eventually(async () => p.smtp.to(late.stays).length === 1, 10_000, "the one who stayed to get it");
    const ledger = await db.selectFrom("update_recipients").select(["supporter_id", "status"])
      .where("update_id", "=", updateId).where("supporter_id", "in", [unsubId, bounceId, staysId]).orderBy("supporter_id").execute();
    expect(ledger).toEqual([
      { supporter_id: unsubId, status: "skipped" }, { supporter_id: bounceId, status: "skipped" }, { supporter_id: staysId, status: "sent" },
    ]);
  });
});
