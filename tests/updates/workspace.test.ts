import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUpdate } from "#db/queries/updates";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { fieldError } from "../support/supporter";
import { addSupporter, demoCampaign, sentUpdate } from "./support";

describe("composing and sending updates in the workspace", () => {
  let p: TestPlatform;
  let owner: SignedIn;
  let stranger: SignedIn;
  let ownerEmail: string;
  let campaignId: number;
  const reader = `ws.reader.${process.pid}@example.org`;
  const base = () => `/admin/campaigns/${campaignId}/updates`;
  const updateCount = async () => (await p.database.db.selectFrom("updates").select("id").execute()).length;

  beforeAll(async () => {
    process.env.MAIL_RATE_PER_SECOND = "100";
    p = await startTestPlatform();
    const db = p.database.db;
    ({ campaignId } = await demoCampaign(db));
    const account = await createCampaigner(db, { campaignIds: [campaignId], tag: "owner" });
    ownerEmail = account.email;
    owner = await signIn(p.url, account);
    stranger = await signIn(p.url, await createCampaigner(db, { tag: "stranger" }));
    await addSupporter(db, { email: reader, language: "es" });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("bad input: an empty subject or body gets field errors and a 400, and nothing is saved", async () => {
    const res = await owner.post(`${base()}/new`, { subject_en: "  ", body_en: "", subject_es: "Solo asunto", body_es: "" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, "subject_en")).toBe("Enter a subject.");
    expect(fieldError(html, "body_en")).toBe("Write the update.");
    expect(fieldError(html, "body_es")).toBe("Write the update.");
    expect(await updateCount()).toBe(0);
  });

  it("saves a draft, previews it as HTML and text, and sends a test to the campaigner only", async () => {
    const res = await owner.post(`${base()}/new`, { subject_en: "The Pardon Commission has new staff", body_en: "Your letters **worked**.", subject_es: "", body_es: "" });
    expect(res.status).toBe(302);
    const path = res.headers.get("location")!;
    expect(path).toMatch(new RegExp(`^${base()}/\\d+$`));

    const page = await owner.fetch(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Preview (en): The Pardon Commission has new staff");
    expect(html).toContain("Preview (es): The Pardon Commission has new staff"); // Spanish readers fall back to English
    expect(html).toContain("&lt;strong&gt;worked&lt;/strong&gt;"); // the HTML preview, inside srcdoc

    const test = await owner.post(path, { intent: "test", subject_en: "The Pardon Commission has new staff", body_en: "Your letters **worked**." });
    expect(test.status).toBe(200);
    const mail = await eventually(async () => p.smtp.to(ownerEmail)[0], 10_000, "the test email");
    expect(mail.subject).toBe("[Test] The Pardon Commission has new staff");
    expect(p.smtp.to(reader)).toHaveLength(0);
  });

  it("bad input: a schedule in the past is refused next to the field, with a 400", async () => {
    const id = (await p.database.db.selectFrom("updates").select("id").executeTakeFirstOrThrow()).id;
    const res = await owner.post(`${base()}/${id}`, { intent: "schedule", subject_en: "Later", body_en: "Later.", scheduleAt: "2020-01-01T10:00" });
    expect(res.status).toBe(400);
    expect(fieldError(await res.text(), "scheduleAt")).toBe("Choose a time in the future.");
    const garbled = await owner.post(`${base()}/${id}`, { intent: "schedule", subject_en: "Later", body_en: "Later.", scheduleAt: "soon" });
    expect(garbled.status).toBe(400);
    expect((await p.database.db.selectFrom("updates").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("draft");
  });

  it("bad input: another campaigner's campaign, another campaign's update, and a missing CSRF token are refused", async () => {
    const db = p.database.db;
    const id = (await db.selectFrom("updates").select("id").executeTakeFirstOrThrow()).id;
    expect((await stranger.fetch(base())).status).toBe(404);
    expect((await stranger.fetch(`${base()}/${id}`)).status).toBe(404);
    expect((await stranger.post(`${base()}/${id}`, { intent: "send", subject_en: "Hijack", body_en: "Hijack" })).status).toBe(404);

    const other = await db.insertInto("campaigns").values({ slug: `other-${process.pid}` }).returning("id").executeTakeFirstOrThrow();
    const foreign = await createUpdate(db, { campaignId: other.id, createdBy: null, texts: [{ language: "en", subject: "Foreign", body: "Foreign" }] });
    expect((await owner.fetch(`${base()}/${foreign}`)).status).toBe(404);
    expect((await owner.post(`${base()}/${foreign}`, { intent: "cancel" })).status).toBe(404);

    const noToken = await owner.fetch(`${base()}/${id}`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url }, body: "intent=send&subject_en=x&body_en=y",
    });
    expect(noToken.status).toBe(403);
    const rows = await db.selectFrom("updates").select("status").execute();
    expect(rows.every((r) => r.status === "draft")).toBe(true);
    expect(p.smtp.to(reader)).toHaveLength(0);
  });

  it("schedules and cancels, then sends now; every change is in the audit log", async () => {
    const db = p.database.db;
    const id = (await db.selectFrom("updates").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    const fields = { subject_en: "The Pardon Commission has new staff", body_en: "Your letters **worked**." };
    const future = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
    expect((await owner.post(`${base()}/${id}`, { intent: "schedule", ...fields, scheduleAt: future })).status).toBe(200);
    expect((await db.selectFrom("updates").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("scheduled");
    expect((await owner.post(`${base()}/${id}`, { intent: "cancel" })).status).toBe(200);
    expect((await db.selectFrom("updates").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("cancelled");
    expect((await owner.post(`${base()}/${id}`, { intent: "send", ...fields })).status).toBe(409);

    const created = await owner.post(`${base()}/new`, fields);
    const path = created.headers.get("location")!;
    expect((await owner.post(path, { intent: "send", ...fields })).status).toBe(200);
    await sentUpdate(p, Number(path.split("/").at(-1)));
    const mail = await eventually(async () => p.smtp.to(reader)[0], 10_000, "the update");
    expect(mail.subject).toBe(fields.subject_en);

    const list = await owner.fetch(base());
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(fields.subject_en);
    const audit = await db.selectFrom("audit_log").select("action").where("subject_type", "=", "update").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["update.create", "update.edit", "update.test", "update.schedule", "update.cancel", "update.create", "update.send"]);
  });
});
