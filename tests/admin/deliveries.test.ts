import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { parseCsv } from "../support/csv";
import { csvOf, letterAction, OFFICIALS, pdfPages, writeAndConfirm } from "../support/letters";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";

let p: TestPlatform;
let owner: SignedIn;
let other: SignedIn;
let ids: Awaited<ReturnType<typeof letterAction>>;
let base: string;
let foreignDelivery: number;

const delivery = (id: number) => p.database.db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const batchesOf = (targetId: number) =>
  p.database.db.selectFrom("deliveries").selectAll().where("action_id", "=", ids.actionId).where("target_id", "=", targetId).orderBy("id").execute();

beforeAll(async () => {
  p = await startTestPlatform();
  const db = p.database.db;
  ids = await letterAction(p);
  const campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  base = `/admin/campaigns/${campaignId}/deliveries`;
  const [a, b] = await Promise.all([createCampaigner(db, { campaignIds: [campaignId] }), createCampaigner(db)]);
  [owner, other] = await Promise.all([signIn(p.url, a), signIn(p.url, b)]);
  // A batch that belongs to another campaign, sent.
  const c = await db.insertInto("campaigns").values({ slug: "another-campaign-deliveries", status: "live" }).returning("id").executeTakeFirstOrThrow();
  const act = await db.insertInto("actions").values({ campaign_id: c.id, slug: "elsewhere", kind: "letter", goal: 10 }).returning("id").executeTakeFirstOrThrow();
  const d = await db.insertInto("deliveries").values({ action_id: act.id, target_id: ids.justice, seq: 1, trigger: "manual", status: "failed" }).returning("id").executeTakeFirstOrThrow();
  foreignDelivery = d.id;
});
afterAll(async () => p?.stop());
beforeEach(() => p.smtp.failWith(null));

describe("the delivery log", () => {
  it("delivers an action now: each official gets a batch, the log shows it sent, and its CSV and PDF download again as they were sent", async () => {
    const writer = await writeAndConfirm(p, [ids.justice, ids.pardons]);
    const before = await (await owner.fetch(base)).text();
    expect(before).toMatch(/2 waiting/); // one letter, two officials
    const res = await owner.post(base, { intent: "deliver", actionId: String(ids.actionId) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("2 batch(es) on their way.");
    const [batch] = await eventually(async () => {
      const rows = await batchesOf(ids.justice);
      return rows.length > 0 && rows[0]!.status === "sent" && rows;
    }, 20_000, "batch sent");
    const mail = await eventually(async () => p.smtp.to(OFFICIALS.justice)[0], 15_000, "batch email");
    await eventually(async () => p.smtp.to(OFFICIALS.pardons)[0], 15_000, "second official's batch");

    const log = await (await owner.fetch(base)).text();
    expect(log).toContain('<span class="badge sent">sent</span>');
    expect(log).toContain(`${base}/${batch!.id}/csv`);

    const csv = await owner.fetch(`${base}/${batch!.id}/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${DEMO.campaign}-1.csv"`);
    const again = parseCsv((await csv.text()).replace(/^\uFEFF/, ""));
    expect(again).toEqual(csvOf(mail));
    expect(again.slice(1).map((r) => r[0])).toContain(writer.name);
    const pdf = await owner.fetch(`${base}/${batch!.id}/pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdfPages(bytes)).toBe(1);

    const audit = await p.database.db.selectFrom("audit_log").select(["action", "subject_id"]).where("action", "like", "deliveries.%").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["deliveries.deliver_now", "deliveries.download", "deliveries.download"]);
  });

  it("says so when nothing new waits", async () => {
    const res = await owner.post(base, { intent: "deliver", actionId: String(ids.actionId) });
    expect(/<p class="notice"[^>]*>([^<]*)</.exec(await res.text())?.[1]).toBe("Nothing new to deliver.");
  });

  it("retries a failed batch: the same batch goes out again with the same Message-ID", async () => {
    const writer = await writeAndConfirm(p, [ids.pardons]);
    p.smtp.failWith(550);
    await owner.post(base, { intent: "deliver", actionId: String(ids.actionId) });
    const failed = await eventually(async () => (await batchesOf(ids.pardons)).find((d) => d.status === "failed"), 20_000, "batch failed");
    const log = await (await owner.fetch(base)).text();
    expect(log).toContain("SMTP 550");
    expect(log).toContain(`name="deliveryId" value="${failed.id}"`);
    p.smtp.failWith(null);
    const res = await owner.post(base, { intent: "retry", deliveryId: String(failed.id) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("is queued again");
    await eventually(async () => (await delivery(failed.id)).status === "sent", 20_000, "sent after retry");
    const mail = p.smtp.messages.find((m) => m.to.includes(OFFICIALS.pardons) && csvOf(m).some((r) => r[0] === writer.name));
    expect(mail?.messageId).toBe(`<delivery.${failed.id}.1@inkwell.test>`);
    const audit = await p.database.db.selectFrom("audit_log").select("subject_id").where("action", "=", "deliveries.retry").execute();
    expect(audit).toEqual([{ subject_id: String(failed.id) }]);
  });

  it("refuses what cannot be done: a batch that has not failed (409), another campaign's batch or action (404), a bad form (400), no token (403)", async () => {
    const sent = (await batchesOf(ids.justice))[0]!;
    const notFailed = await owner.post(base, { intent: "retry", deliveryId: String(sent.id) });
    expect(notFailed.status).toBe(409);
    expect(await notFailed.text()).toContain("only a failed batch can be retried");
    expect((await owner.post(base, { intent: "retry", deliveryId: String(foreignDelivery) })).status).toBe(404);
    expect((await delivery(foreignDelivery)).status).toBe("failed");
    expect((await owner.fetch(`${base}/${foreignDelivery}/csv`)).status).toBe(404);
    expect((await owner.fetch(`${base}/${sent.id}/docx`)).status).toBe(404);
    expect((await owner.fetch(`${base}/${sent.id}/csv?part=9`)).status).toBe(404);
    expect((await owner.fetch(`${base}/${sent.id}/csv?part=1`)).status).toBe(200);
    expect((await owner.fetch(`${base}/not-a-number/csv`)).status).toBe(404);
    const foreignAction = (await p.database.db.selectFrom("actions").select("id").where("slug", "=", "elsewhere").executeTakeFirstOrThrow()).id;
    expect((await owner.post(base, { intent: "deliver", actionId: String(foreignAction) })).status).toBe(404);
    const bad = await owner.post(base, { intent: "deliver", actionId: "abc" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose a call to action.");
    expect((await owner.post(base, { intent: "explode" })).status).toBe(400);
    const forged = await owner.fetch(base, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `csrf=nope&intent=retry&deliveryId=${sent.id}` });
    expect(forged.status).toBe(403);
  });

  it("is not there for another campaigner (404) nor for visitors (sign in)", async () => {
    const sent = (await batchesOf(ids.justice))[0]!;
    for (const path of [base, `${base}/${sent.id}/csv`]) {
      expect((await other.fetch(path)).status).toBe(404);
      expect((await fetch(`${p.url}${path}`, { redirect: "manual" })).status).toBe(302);
    }
    expect((await other.post(base, { intent: "deliver", actionId: String(ids.actionId) })).status).toBe(404);
  });
});
