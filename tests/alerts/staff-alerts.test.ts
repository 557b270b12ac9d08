import type { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffAlertKind } from "#db/schema";
import { seedDemoCampaigner } from "#db/seed";
import { recordBatchAlert } from "#db/queries/staff-alerts";
import { deliverAction } from "#services/deliveries";
import type { IntakeOutcome } from "#jobs/inbound/intake";
import { foldCounters } from "#jobs/maintenance";
import { startInboundSmtp } from "#jobs/inbound/smtp-listener";
import { sendStaffAlert, sendStaffDigests, sweepStaffAlerts } from "#jobs/staff-alerts";
import { createCampaigner, signIn, type Account, type SignedIn } from "../support/campaigner";
import { letterAction, OFFICIALS, writeAndConfirm } from "../support/letters";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { dsn, headersOf, offer } from "../inbound/reports";

function replyMessage(to: string, messageId: string) {
  return [
    `From: Ministro de Justicia <${OFFICIALS.justice}>`, `To: <${to}>`, "Subject: Re: Cartas de apoyo",
    "Date: Wed, 02 Dec 2026 11:00:00 -0500", `Message-ID: ${messageId}`, "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8", "", "The Ministry has received the letters.", "",
  ].join("\r\n");
}

describe("staff alerts", () => {
  let p: TestPlatform;
  let inbound: SMTPServer;
  let port: number;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  let campaignId: number;
  const taken: IntakeOutcome[] = [];
  const people = {} as Record<"owner" | "editor" | "outsider", Account & { session: SignedIn }>;
  const db = () => p.database.db;
  const toOfficial = (email: string) => p.smtp.messages.filter((m) => m.to.includes(email));
  const mailsTo = (who: keyof typeof people, subject: RegExp) => p.smtp.messages.filter((m) => m.to.includes(people[who].email) && subject.test(m.subject));
  const alertsOf = (kind: StaffAlertKind) => db().selectFrom("staff_alerts").selectAll().where("kind", "=", kind).orderBy("id").execute();
  const recipientsOf = (alertId: number) => db().selectFrom("staff_alert_recipients").selectAll().where("alert_id", "=", alertId).orderBy("campaigner_id").execute();

  /** Every alert that someone wanted at once has been emailed. */
  const settled = () => eventually(async () => {
    const left = await db().selectFrom("staff_alert_recipients").select("alert_id").where("email", "=", "immediate").where("emailed_at", "is", null).execute();
    return left.length === 0;
  }, 20_000, "alerts emailed");

  async function deliverOne(targetId: number, email: string) {
    const before = toOfficial(email).length;
    const { batches } = await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [targetId] });
    const mail = await eventually(async () => toOfficial(email)[before], 20_000, "batch mail");
    return { deliveryId: batches[0]!, mail };
  }
  async function feed(to: string, raw: string, from?: string) {
    const n = taken.length;
    await offer(port, to, raw, from);
    return eventually(async () => taken[n], 10_000, "message taken");
  }
  /** A batch the official's server refuses for good (550 on the next message, which is the batch). */
  async function failedBatch(): Promise<number> {
    await writeAndConfirm(p, [ids.justice]);
    await settled();
    const next = p.smtp.attempts() + 1;
    p.smtp.failWhen((n) => (n === next ? 550 : null));
    const { batches } = await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    await eventually(async () => (await db().selectFrom("deliveries").select("status").where("id", "=", batches[0]!).executeTakeFirstOrThrow()).status === "failed", 20_000, "batch failed");
    p.smtp.failWhen(null);
    return batches[0]!;
  }

  beforeAll(async () => {
    process.env.BOUNCE_DOMAIN = "inkwell.test";
    p = await startTestPlatform();
    ids = await letterAction(p);
    campaignId = (await db().selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
    const owner = await seedDemoCampaigner(db());
    const ownerId = (await db().selectFrom("campaigners").select("id").where("email", "=", owner.email).executeTakeFirstOrThrow()).id;
    const editor = await createCampaigner(db(), { tag: "editor" });
    await db().insertInto("campaign_members").values({ campaign_id: campaignId, campaigner_id: editor.id, role: "editor" }).execute();
    // Someone with a campaign of their own hears nothing of this one.
    const other = await db().insertInto("campaigns").values({ slug: "another-campaign", goal: 1 }).returning("id").executeTakeFirstOrThrow();
    const outsider = await createCampaigner(db(), { tag: "outsider", campaignIds: [other.id] });
    const accounts: [keyof typeof people, Account][] = [["owner", { email: owner.email, password: owner.password, id: ownerId }], ["editor", editor], ["outsider", outsider]];
    for (const [k, a] of accounts) {
      people[k] = { ...a, session: await signIn(p.url, a) };
    }
    inbound = await startInboundSmtp(db(), { port: 0, host: "127.0.0.1", maxBytes: 100_000, onTaken: (o) => taken.push(o) });
    port = (inbound.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => (inbound ? inbound.close(() => r()) : r()));
    await p?.stop();
  });

  it("a bounce through the inbound listener flags the official and alerts everyone on the campaign once, by email and notice", async () => {
    await writeAndConfirm(p, [ids.pardons]);
    const { deliveryId, mail } = await deliverOne(ids.pardons, OFFICIALS.pardons);
    const bounce = dsn({
      to: mail.mailFrom, action: "failed", status: "5.1.1", recipient: OFFICIALS.pardons,
      diagnostic: `550 5.1.1 <${OFFICIALS.pardons}>: User unknown`, originalHeaders: headersOf(mail.raw),
    });
    expect(await feed(mail.mailFrom, bounce)).toEqual({ outcome: "applied", event: "hard_bounce" });
    await feed(mail.mailFrom, bounce); // the same report again
    await settled();
    const flagged = await alertsOf("official");
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.campaign_id).toBe(campaignId);
    expect(await alertsOf("batch")).toHaveLength(0); // the bounce that flags is told once, as the flag
    expect((await recipientsOf(flagged[0]!.id)).map((r) => r.campaigner_id)).toEqual([people.owner.id, people.editor.id].sort((a, b) => a - b));
    for (const who of ["owner", "editor"] as const) {
      const got = mailsTo(who, /^\[Inkwell\] The address of .* bounced$/);
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toMatch(/held, not lost/);
      expect(got[0]!.text).toMatch(/User unknown/);
      expect(got[0]!.text).toContain(`/admin/officials/${ids.pardons}`);
      expect(got[0]!.messageId).toBe(`<alert.${flagged[0]!.id}.${people[who].id}@inkwell.test>`);
    }
    expect(p.smtp.messages.filter((m) => m.to.includes(people.outsider.email))).toHaveLength(0);

    // The workspace shows an unread count and the notice, with its link, until it is marked read.
    const owner = people.owner.session;
    expect(await (await owner.fetch("/admin")).text()).toMatch(/aria-label="Notices, 1 unread"/);
    const list = await (await owner.fetch("/admin/notices")).text();
    expect(list).toContain(`href="/admin/officials/${ids.pardons}"`);
    expect(list).toMatch(/bounced batch \d+ of “/);
    expect((await owner.post("/admin/notices", { intent: "read", alert: String(flagged[0]!.id) })).status).toBe(302);
    expect(await (await owner.fetch("/admin")).text()).toMatch(/aria-label="Notices"/);
    expect(await (await people.editor.session.fetch("/admin")).text()).toMatch(/aria-label="Notices, 1 unread"/); // each reads their own
    expect(await (await people.outsider.session.fetch("/admin/notices")).text()).toContain("No notices yet.");
    expect(deliveryId).toBeGreaterThan(0);
  });

  it("a reply from an official alerts once, linking to the reply", async () => {
    await writeAndConfirm(p, [ids.justice]);
    const { mail } = await deliverOne(ids.justice, OFFICIALS.justice);
    const replyTo = mail.parsed.replyTo!.value[0]!.address!;
    await feed(replyTo, replyMessage(replyTo, "<alerts-r1@minjus-pe.example>"), OFFICIALS.justice);
    await feed(replyTo, replyMessage(replyTo, "<alerts-r1@minjus-pe.example>"), OFFICIALS.justice);
    await settled();
    const replies = await alertsOf("reply");
    expect(replies).toHaveLength(1);
    const reply = await db().selectFrom("official_replies").select("id").executeTakeFirstOrThrow();
    for (const who of ["owner", "editor"] as const) {
      const got = mailsTo(who, /^\[Inkwell\] .* replied$/);
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toContain(`/admin/campaigns/${campaignId}/replies/${reply.id}`);
    }
    expect(await (await people.owner.session.fetch("/admin/notices")).text()).toContain(`href="/admin/campaigns/${campaignId}/replies/${reply.id}"`);
    expect(p.smtp.messages.filter((m) => m.to.includes(people.outsider.email))).toHaveLength(0);
  });

  it("a goal reached alerts once, even with signatures confirmed and folded concurrently", async () => {
    const counter = async () => Number((await db().selectFrom("action_counters").select("confirmed").where("action_id", "=", ids.actionId).executeTakeFirst())?.confirmed ?? 0);
    await eventually(async () => (await db().selectFrom("signatures").select("id").where("counted", "=", false).where("status", "=", "confirmed").execute()).length === 0, 15_000, "earlier letters counted");
    const goal = (await counter()) + 3;
    await db().updateTable("actions").set({ goal }).where("id", "=", ids.actionId).execute();
    const total = Number((await db().selectFrom("action_counters as k").innerJoin("actions as a", "a.id", "k.action_id")
      .select((eb) => eb.fn.sum<number>("k.confirmed").as("n")).where("a.campaign_id", "=", campaignId).executeTakeFirstOrThrow()).n);
    await db().updateTable("campaigns").set({ goal: total + 4 }).where("id", "=", campaignId).execute();
    // Eight letters at once, and folds racing the worker's own.
    const writing = Promise.all(Array.from({ length: 8 }, () => writeAndConfirm(p, [ids.justice])));
    let folding = true;
    const racing = (async () => { while (folding) await Promise.all([foldCounters(db()), foldCounters(db()), foldCounters(db())]); })();
    await writing;
    await eventually(async () => (await counter()) >= goal + 5, 20_000, "letters counted");
    folding = false;
    await racing;
    await settled();
    const goals = await alertsOf("goal");
    expect(goals.map((g) => g.key).sort()).toEqual([`goal-action-${ids.actionId}-${goal}`, `goal-campaign-${campaignId}-${total + 4}`].sort());
    expect(mailsTo("owner", /reached its goal$/)).toHaveLength(2);
    expect(mailsTo("editor", /reached its goal$/)).toHaveLength(2);
    await writeAndConfirm(p, [ids.justice]);
    await eventually(async () => (await counter()) >= goal + 6, 20_000, "one more counted");
    expect(await alertsOf("goal")).toHaveLength(2);
    expect(p.smtp.messages.filter((m) => m.to.includes(people.outsider.email))).toHaveLength(0);
  });

  it("honours each campaigner's switches, and a digest sends everything since the last one exactly once", async () => {
    const editor = people.editor.session;
    const owner = people.owner.session;
    expect((await editor.post("/admin/account", { intent: "alerts", mode: "digest", kinds: ["batch", "official", "held", "reply", "webhook"] })).status).toBe(200);
    expect((await owner.post("/admin/account", { intent: "alerts", mode: "immediate", kinds: ["batch", "official", "held", "goal", "webhook"] })).status).toBe(200);
    expect(await db().selectFrom("campaigner_alert_settings").select(["campaigner_id", "email_mode", "muted"]).orderBy("campaigner_id").execute()).toEqual(
      [{ campaigner_id: people.owner.id, email_mode: "immediate", muted: ["reply"] }, { campaigner_id: people.editor.id, email_mode: "digest", muted: ["goal"] }]
        .sort((a, b) => a.campaigner_id - b.campaigner_id));
    expect(await (await editor.fetch("/admin/account")).text()).toMatch(/checked="" value="digest"/);

    const before = { owner: mailsTo("owner", /could not be sent/).length, editor: p.smtp.to(people.editor.email).length };
    const batch = await failedBatch();
    await settled();
    const failure = (await alertsOf("batch")).at(-1)!;
    expect(failure.detail).toMatchObject({ deliveryId: batch, event: "failed" });
    expect(mailsTo("owner", /could not be sent/)).toHaveLength(before.owner + 1);
    expect(p.smtp.to(people.editor.email)).toHaveLength(before.editor); // the editor waits for the digest
    expect(await (await editor.fetch("/admin/notices")).text()).toMatch(/could not be sent/);

    // A reply: the owner switched replies off (no email, no notice); the editor gets it in the digest.
    await writeAndConfirm(p, [ids.justice]);
    const { mail } = await deliverOne(ids.justice, OFFICIALS.justice);
    const replyTo = mail.parsed.replyTo!.value[0]!.address!;
    await feed(replyTo, replyMessage(replyTo, "<alerts-r2@minjus-pe.example>"), OFFICIALS.justice);
    const reply = (await eventually(async () => (await alertsOf("reply"))[1], 10_000, "second reply alert"));
    expect((await recipientsOf(reply.id)).map((r) => [r.campaigner_id, r.email])).toEqual([[people.editor.id, "digest"]]);
    await settled();
    expect(mailsTo("owner", /replied$/)).toHaveLength(1); // only the first test's

    // The digest: an SMTP failure leaves it unsent; the next run sends that same digest, once.
    p.smtp.failWith(451);
    await expect(sendStaffDigests(db())).rejects.toThrow();
    p.smtp.failWith(null);
    expect(await sendStaffDigests(db())).toEqual({ gathered: 0, sent: 1 });
    const digests = p.smtp.to(people.editor.email).filter((m) => m.subject.startsWith("[Inkwell] Daily digest"));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe("[Inkwell] Daily digest: 2 alert(s)");
    expect(digests[0]!.text).toMatch(/could not be sent/);
    expect(digests[0]!.text).toMatch(/replied to batch/);
    expect(await sendStaffDigests(db())).toEqual({ gathered: 0, sent: 0 });
    expect(p.smtp.to(people.editor.email).filter((m) => m.subject.startsWith("[Inkwell] Daily digest"))).toHaveLength(1);

    // The next digest holds only what happened since.
    await failedBatch();
    await settled();
    expect(await sendStaffDigests(db())).toEqual({ gathered: 1, sent: 1 });
    const second = p.smtp.to(people.editor.email).filter((m) => m.subject.startsWith("[Inkwell] Daily digest"));
    expect(second).toHaveLength(2);
    expect(second[1]!.subject).toBe("[Inkwell] Daily digest: 1 alert(s)");
    expect(second[1]!.messageId).not.toBe(second[0]!.messageId);
    expect(await sendStaffDigests(db())).toEqual({ gathered: 0, sent: 0 });
    expect(p.smtp.messages.filter((m) => m.to.includes(people.outsider.email))).toHaveLength(0);
  });

  it("an alert recorded while Redis was away is sent by the sweeper; a retried job never sends twice", async () => {
    await editorImmediate();
    const { batches } = await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const deliveryId = batches[0] ?? (await db().selectFrom("deliveries").select("id").orderBy("id", "desc").executeTakeFirstOrThrow()).id;
    // Recorded in Postgres, never queued: the sweeper finds it once it is older than the grace period.
    const lost = (await db().transaction().execute((trx) => recordBatchAlert(trx, deliveryId, "failed", "recorded while Redis was down")))!;
    const base = p.smtp.messages.length;
    await eventually(async () => (await sweepStaffAlerts(db())) > 0, 10_000, "sweeper to find it");
    await settled();
    const sent = p.smtp.messages.slice(base).filter((m) => m.messageId.startsWith(`<alert.${lost}.`));
    expect(sent.map((m) => m.to).sort()).toEqual([people.owner.email, people.editor.email].sort());
    // A job that runs again finds nothing to send.
    expect(await sendStaffAlert(db(), { alertId: lost })).toBe("nothing to send");
    expect(p.smtp.messages.filter((m) => m.messageId.startsWith(`<alert.${lost}.`))).toHaveLength(2);

    // SMTP fails on the second recipient: the retry sends only to that one.
    const again = (await db().transaction().execute((trx) => recordBatchAlert(trx, deliveryId, "failed", "second")))!;
    const first = p.smtp.attempts();
    p.smtp.failWhen((n) => (n === first + 2 ? 451 : null));
    await expect(sendStaffAlert(db(), { alertId: again })).rejects.toThrow();
    p.smtp.failWhen(null);
    expect((await recipientsOf(again)).filter((r) => r.emailed_at !== null)).toHaveLength(1);
    expect(await sendStaffAlert(db(), { alertId: again })).toBe("sent 1");
    expect(await sendStaffAlert(db(), { alertId: again })).toBe("nothing to send");
    const copies = p.smtp.messages.filter((m) => m.messageId.startsWith(`<alert.${again}.`));
    expect(copies.map((m) => m.to).sort()).toEqual([people.owner.email, people.editor.email].sort());
  });

  async function editorImmediate() {
    expect((await people.editor.session.post("/admin/account", { intent: "alerts", mode: "immediate", kinds: ["batch", "official", "held", "goal", "reply", "webhook"] })).status).toBe(200);
  }

  it("refuses hostile preference, notice and threshold input with a 4xx and changes nothing", async () => {
    const owner = people.owner.session;
    const settings = () => db().selectFrom("campaigner_alert_settings").selectAll().where("campaigner_id", "=", people.owner.id).executeTakeFirst();
    const saved = await settings();
    const hostile: Record<string, string | string[]>[] = [
      { intent: "alerts", mode: "evil", kinds: ["batch"] },
      { intent: "alerts", mode: "digest", kinds: ["batch", "everything"] },
      { intent: "alerts", mode: "digest", "kinds[99999]": "batch" },
      { intent: "alerts", mode: "digest", kinds: Array.from({ length: 40 }, () => "batch") },
      { intent: "alerts", kinds: ["batch"] },
      { intent: "alerts", mode: ["digest", "immediate"] },
      { intent: "alerts", mode: "digest", "kinds.x": "batch" },
    ];
    for (const fields of hostile) {
      const res = await owner.post("/admin/account", fields);
      expect(res.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(fields)).toBeLessThan(500);
    }
    expect(await settings()).toEqual(saved);

    const unread = () => db().selectFrom("staff_alert_recipients").select(["alert_id"]).where("campaigner_id", "=", people.editor.id).where("read_at", "is", null).execute();
    const editorUnread = await unread();
    expect(editorUnread.length).toBeGreaterThan(0);
    const bad: Record<string, string>[] = [{ intent: "read", alert: "abc" }, { intent: "read", alert: "-1" }, { intent: "read" }, { intent: "wipe" }, { intent: "read", alert: "99999999999999" }];
    for (const fields of bad) {
      const res = await owner.post("/admin/notices", fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
    }
    // Someone else's notice id marks nothing of theirs.
    expect((await people.outsider.session.post("/admin/notices", { intent: "read", alert: String(editorUnread[0]!.alert_id) })).status).toBe(302);
    expect((await people.outsider.session.post("/admin/notices", { intent: "all" })).status).toBe(302);
    expect(await unread()).toEqual(editorUnread);
    expect((await owner.fetch("/admin/notices?before=abc")).status).toBe(200);

    const threshold = () => db().selectFrom("campaigns").select("held_alert_threshold").where("id", "=", campaignId).executeTakeFirstOrThrow();
    const was = await threshold();
    for (const value of ["0", "-5", "abc", "1e9", "100001", "", "2.5"]) {
      const res = await owner.post(`/admin/campaigns/${campaignId}/suspicious`, { intent: "threshold", threshold: value });
      expect(res.status, value).toBe(400);
    }
    expect(await threshold()).toEqual(was);
    // Another campaign's campaigner cannot set it.
    expect((await people.outsider.session.post(`/admin/campaigns/${campaignId}/suspicious`, { intent: "threshold", threshold: "3" })).status).toBeLessThan(500);
    expect(await threshold()).toEqual(was);
  });
});
