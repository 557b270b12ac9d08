import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { shown } from "./page-text";

let p: TestPlatform;
let owner: SignedIn;
let ownerId: number;
let other: SignedIn;
let otherEmail: string;
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  const a = await createCampaigner(p.database.db, { tag: "owner" });
  const b = await createCampaigner(p.database.db, { tag: "other" });
  ownerId = a.id;
  otherEmail = b.email;
  [owner, other] = await Promise.all([signIn(p.url, a), signIn(p.url, b)]);
});
afterAll(async () => p?.stop());

const campaign = (fields: Record<string, string> = {}) => ({
  slug: "justice-for-the-disappeared",
  goal: "5000",
  defaultLanguage: "en",
  title_en: "Justice for the disappeared",
  summary_en: "Families still wait for answers.",
  story_en: "They were taken **twenty years ago**.\n\n<script>alert(1)</script>",
  ...fields,
});
const count = async (table: "campaigns" | "audit_log" | "campaign_members") =>
  Number((await p.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const created = (res: Response) => Number(/\/admin\/campaigns\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);

describe("creating a campaign", () => {
  it("creates a draft owned by its creator, audited, and shows it only in the workspace", async () => {
    const res = await owner.post("/admin/campaigns/new", campaign());
    expect(res.status).toBe(302);
    const id = created(res);
    const row = await p.database.db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "draft", goal: 5000, created_by: ownerId, slug: "justice-for-the-disappeared" });
    const member = await p.database.db.selectFrom("campaign_members").selectAll().where("campaign_id", "=", id).execute();
    expect(member).toMatchObject([{ campaigner_id: ownerId, role: "owner" }]);
    const audit = await p.database.db.selectFrom("audit_log").selectAll().where("campaign_id", "=", id).execute();
    expect(audit.map((a) => a.action)).toEqual(["campaign.create"]);
    expect((await fetch(`${p.url}/campaigns/justice-for-the-disappeared`)).status).toBe(404);
    const preview = await owner.fetch(`/admin/campaigns/${id}/preview`);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(shown(html)).toContain("Preview");
    expect(shown(html)).toContain("Justice for the disappeared");
    expect(shown(html)).toContain("<strong>twenty years ago</strong>");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect((await other.fetch(`/admin/campaigns/${id}/preview`)).status).toBe(404);
  });

  it.each([
    ["a taken slug", { slug: DEMO.campaign }, 409, "Another campaign already uses this address"],
    ["an empty title", { title_en: "" }, 400, "Enter a title in this language."],
    ["an over-long title", { title_en: "x".repeat(201) }, 400, "Use at most 200 characters."],
    ["a bad image URL", { imageUrl: "javascript:alert(1)" }, 400, "Enter an image address that starts with https://."],
    ["a plain-http image URL", { imageUrl: "http://example.org/a.jpg" }, 400, "Enter an image address that starts with https://."],
    ["a bad slug", { slug: "Not A Slug!" }, 400, "Use lower-case letters, digits and single hyphens only"],
    ["a zero goal", { goal: "0" }, 400, "Use at least 1."],
    ["a Spanish version without its title", { summary_es: "Resumen" }, 400, "Enter a title in this language."],
  ])("bad input: refuses %s with a message next to the field, writing nothing", async (_name, fields, status, message) => {
    const before = await Promise.all([count("campaigns"), count("audit_log")]);
    const res = await owner.post("/admin/campaigns/new", campaign({ slug: "never-written", ...fields }));
    expect(res.status).toBe(status);
    const html = await res.text();
    expect(shown(html)).toContain(message);
    expect(shown(html)).toContain('class="field has-error"');
    expect(await Promise.all([count("campaigns"), count("audit_log")])).toEqual(before);
  });
});

describe("editing, lifecycle, duplicating and sharing", () => {
  let id: number;
  beforeAll(async () => {
    id = created(await owner.post("/admin/campaigns/new", campaign({ slug: "lifecycle-campaign" })));
  });
  const edit = (fields: Record<string, string>) => owner.post(`/admin/campaigns/${id}/edit`, fields);

  it("saves words in a second language and drops them when emptied", async () => {
    const res = await edit({ intent: "save", ...campaign({ slug: "lifecycle-campaign", title_es: "Justicia", summary_es: "Las familias esperan." }) });
    expect(res.status).toBe(200);
    const langs = async () => (await p.database.db.selectFrom("campaign_translations").select("language").where("campaign_id", "=", id).orderBy("language").execute()).map((r) => r.language);
    expect(await langs()).toEqual(["en", "es"]);
    await edit({ intent: "save", ...campaign({ slug: "lifecycle-campaign" }) });
    expect(await langs()).toEqual(["en"]);
  });

  it("bad input: a slug another campaign uses is a field error on edit", async () => {
    const res = await edit({ intent: "save", ...campaign({ slug: DEMO.campaign }) });
    expect(res.status).toBe(409);
    expect(shown(await res.text())).toContain("Another campaign already uses this address");
  });

  it("bad input: cannot go live without a call to action, nor skip a step", async () => {
    const res = await edit({ intent: "status", to: "live" });
    expect(res.status).toBe(409);
    expect(shown(await res.text())).toContain("Add at least one call to action before launching the campaign.");
    const skip = await edit({ intent: "status", to: "archived" });
    expect(skip.status).toBe(409);
    expect(shown(await skip.text())).toContain("A draft campaign cannot become archived.");
    const row = await p.database.db.selectFrom("campaigns").select(["status", "launched_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "draft", launched_at: null });
  });

  it("goes live with a call to action, then closes and archives, stamping the dates", async () => {
    const add = await owner.post(`/admin/campaigns/${id}/actions/new`, {
      kind: "petition", slug: "sign-now", goal: "100", deliveryMode: "manual", title_en: "Sign now", ask_en: "Add your name.",
    });
    expect(add.status).toBe(302);
    expect((await edit({ intent: "status", to: "live" })).status).toBe(302);
    expect((await fetch(`${p.url}/campaigns/lifecycle-campaign`)).status).toBe(200);
    expect((await edit({ intent: "status", to: "closed" })).status).toBe(302);
    expect((await edit({ intent: "status", to: "archived" })).status).toBe(302);
    const row = await p.database.db.selectFrom("campaigns").select(["status", "launched_at", "closed_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("archived");
    expect(row.launched_at).toBeInstanceOf(Date);
    expect(row.closed_at).toBeInstanceOf(Date);
    const audit = await p.database.db.selectFrom("audit_log").select(["action", "details"]).where("campaign_id", "=", id).where("action", "=", "campaign.status").orderBy("id").execute();
    expect(audit.map((a) => a.details)).toEqual([{ from: "draft", to: "live" }, { from: "live", to: "closed" }, { from: "closed", to: "archived" }]);
  });

  it("duplicates the demo campaign as a draft with its actions, words and officials, never its signatures", async () => {
    const admin = await createCampaigner(p.database.db, { role: "admin", tag: "dup" });
    const session = await signIn(p.url, admin);
    const demo = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    const bad = await session.post(`/admin/campaigns/${demo.id}/edit`, { intent: "duplicate", slug: DEMO.campaign });
    expect(bad.status).toBe(409);
    const res = await session.post(`/admin/campaigns/${demo.id}/edit`, { intent: "duplicate", slug: "peru-copy" });
    expect(res.status).toBe(302);
    const copy = created(res);
    const db = p.database.db;
    const row = await db.selectFrom("campaigns").selectAll().where("id", "=", copy).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "draft", slug: "peru-copy", created_by: admin.id });
    const actions = (id: number) => db.selectFrom("actions").select(["id", "slug", "kind"]).where("campaign_id", "=", id).orderBy("position").orderBy("id").execute();
    const [from, to] = await Promise.all([actions(demo.id), actions(copy)]);
    expect(to.map((a) => [a.slug, a.kind])).toEqual(from.map((a) => [a.slug, a.kind]));
    const targets = async (ids: number[]) => (await db.selectFrom("action_targets").select("target_id").where("action_id", "in", ids).orderBy("target_id").execute()).map((r) => r.target_id);
    expect(await targets(to.map((a) => a.id))).toEqual(await targets(from.map((a) => a.id)));
    const words = await db.selectFrom("action_translations").select("language").where("action_id", "in", to.map((a) => a.id)).execute();
    expect(words.length).toBeGreaterThan(to.length);
    const signed = await db.selectFrom("signatures").select("id").where("action_id", "in", to.map((a) => a.id)).execute();
    expect(signed).toEqual([]);
    const titles = await db.selectFrom("campaign_translations").select("title").where("campaign_id", "=", copy).execute();
    expect(titles.every((t) => t.title.endsWith("(copy)"))).toBe(true);
  });

  it("shares with another campaigner by email, who can then open it, and unshares", async () => {
    expect((await other.fetch(`/admin/campaigns/${id}/edit`)).status).toBe(404);
    // Sharing with an address that has no account answers exactly as sharing with one that has.
    const unknown = await edit({ intent: "share", email: "nobody@inkwell.test" });
    expect(unknown.status).toBe(200);
    expect(shown(await unknown.text())).toContain("If that address belongs to an active campaigner, they can now work on this campaign.");
    expect((await edit({ intent: "share", email: "not an email" })).status).toBe(400);
    expect((await edit({ intent: "share", email: otherEmail })).status).toBe(200);
    expect((await other.fetch(`/admin/campaigns/${id}/edit`)).status).toBe(200);
    // An editor may work on it but not share it further.
    const reshare = await other.post(`/admin/campaigns/${id}/edit`, { intent: "share", email: otherEmail });
    expect(reshare.status).toBe(403);
    const otherId = (await p.database.db.selectFrom("campaigners").select("id").where("email", "=", otherEmail).executeTakeFirstOrThrow()).id;
    const ownerOff = await edit({ intent: "unshare", campaignerId: String(ownerId) });
    expect(ownerOff.status).toBe(400);
    expect((await edit({ intent: "unshare", campaignerId: String(otherId) })).status).toBe(302);
    expect((await other.fetch(`/admin/campaigns/${id}/edit`)).status).toBe(404);
    const audit = await p.database.db.selectFrom("audit_log").select("action").where("campaign_id", "=", id).where("action", "like", "campaign.%share").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["campaign.share", "campaign.unshare"]);
  });

  it("refuses a form without the CSRF token (403)", async () => {
    const res = await owner.fetch(`/admin/campaigns/${id}/edit`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url },
      body: new URLSearchParams({ intent: "status", to: "live" }),
    });
    expect(res.status).toBe(403);
  });
});
