import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { shown } from "./page-text";
import { sign, supporter } from "../support/supporter";

let p: TestPlatform;
let owner: SignedIn;
let campaignId: number;
let officials: { id: number; name: string }[];
let queue: Queue;
beforeAll(async () => {
  p = await startTestPlatform();
  const db = p.database.db;
  campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  officials = await db.selectFrom("targets").select(["id", "name"]).orderBy("id").execute();
  owner = await signIn(p.url, await createCampaigner(db, { campaignIds: [campaignId] }));
  queue = new Queue("delivery", { connection: { url: process.env.REDIS_URL! }, prefix: p.prefix });
});
afterAll(async () => {
  await queue?.close();
  await p?.stop();
});

const letter = (fields: Record<string, string | string[]> = {}) => ({
  kind: "letter",
  slug: "write-to-the-judges",
  goal: "500",
  letterEditable: "on",
  targetIds: officials.slice(0, 2).map((o) => String(o.id)),
  deliveryMode: "daily",
  deliveryLocalHour: "10",
  deliveryEveryHours: "24",
  deliveryThreshold: "100",
  title_en: "Write to the judges",
  ask_en: "Ask the judges to review every case.",
  subject_en: "Review the case of {{supporter.name}}'s neighbours",
  body_en: "Dear {{target.title}} {{target.name}},\n\nI write from {{supporter.country}} about {{campaign.title}}.\n\n{{supporter.name}}",
  title_es: "Escriba a los jueces",
  ask_es: "Pida a los jueces que revisen cada caso.",
  subject_es: "Revisen los casos",
  body_es: "Estimado/a {{target.name}}:\n\nLe escribo desde {{supporter.country}}.\n\n{{supporter.name}}",
  ...fields,
});
const actionsOf = () => p.database.db.selectFrom("actions").select(["id", "slug", "position"]).where("campaign_id", "=", campaignId).orderBy("position").orderBy("id").execute();

describe("calls to action", () => {
  let letterId: number;

  it("adds a letter with templates in two languages, its officials and schedule, audited", async () => {
    const res = await owner.post(`/admin/campaigns/${campaignId}/actions/new`, letter());
    expect(res.status).toBe(302);
    const db = p.database.db;
    const row = await db.selectFrom("actions").selectAll().where("campaign_id", "=", campaignId).where("slug", "=", "write-to-the-judges").executeTakeFirstOrThrow();
    letterId = row.id;
    expect(row).toMatchObject({ kind: "letter", goal: 500, letter_editable: true, delivery_mode: "daily", delivery_local_hour: 10 });
    expect((await actionsOf()).at(-1)!.id).toBe(letterId);
    const words = await db.selectFrom("action_translations").selectAll().where("action_id", "=", letterId).orderBy("language").execute();
    expect(words.map((w) => [w.language, w.letter_subject])).toEqual([["en", "Review the case of {{supporter.name}}'s neighbours"], ["es", "Revisen los casos"]]);
    const targets = await db.selectFrom("action_targets").select("target_id").where("action_id", "=", letterId).orderBy("position").execute();
    expect(targets.map((t) => t.target_id)).toEqual(officials.slice(0, 2).map((o) => o.id));
    const audit = await db.selectFrom("audit_log").select("action").where("subject_type", "=", "action").where("subject_id", "=", String(letterId)).execute();
    expect(audit.map((a) => a.action)).toEqual(["action.create"]);
  });

  it.each([
    ["an unknown placeholder", { body_en: "Dear {{target.nmae}}, from {{supporter.email}}" }, "body_en", "Inkwell does not know {{target.nmae}}, {{supporter.email}}"],
    ["a letter without officials", { targetIds: [] }, "targetIds", "Choose at least one official to receive the letters."],
    ["a letter without a body", { body_es: "" }, "body_es", "Write the letter in this language."],
    ["a slug another action uses", { slug: DEMO.action }, "slug", "Another call to action of this campaign already uses this address."],
    ["an hour outside the day", { deliveryLocalHour: "24" }, "deliveryLocalHour", "Use at most 23."],
    ["a subject over 200 characters", { subject_en: "x".repeat(201) }, "subject_en", "Use at most 200 characters."],
  ])("bad input: refuses %s with a message next to the field, writing nothing", async (_name, fields, field, message) => {
    const before = (await actionsOf()).length;
    const res = await owner.post(`/admin/campaigns/${campaignId}/actions/new`, letter({ slug: "never-written", ...fields }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(shown(html)).toContain(message);
    expect(html).toMatch(new RegExp(`id="[^"]*-${field}-error"[^>]*>${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").slice(0, 20)}`));
    expect((await actionsOf()).length).toBe(before);
  });

  it("previews the saved letter for a chosen official with a sample supporter, as a page and as data for the page's script", async () => {
    const official = officials[1]!;
    const path = `/admin/campaigns/${campaignId}/actions/${letterId}/letter-preview?targetId=${official.id}&language=en`;
    const page = await owner.fetch(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    expect(shown(html)).toContain(official.name.replace(/&/g, "&#38;"));
    expect(shown(html)).toContain("Ana Quispe");
    expect(shown(html)).toContain("I write from Peru");
    expect(html).not.toContain("{{");
    const data = await owner.fetch(`${path}&format=json`);
    expect(await data.json()).toMatchObject({ language: "en", subject: "Review the case of Ana Quispe's neighbours" });
    const es = await (await owner.fetch(path.replace("language=en", "language=es"))).text();
    expect(shown(es)).toContain("Le escribo desde Perú.");
    expect((await owner.fetch(`/admin/campaigns/${campaignId}/actions/${letterId}/letter-preview?targetId=abc&language=fr`)).status).toBe(400);
  });

  it("orders actions up and down", async () => {
    const before = (await actionsOf()).map((a) => a.id);
    expect((await owner.post(`/admin/campaigns/${campaignId}/actions`, { actionId: String(letterId), direction: "up" })).status).toBe(302);
    const after = (await actionsOf()).map((a) => a.id);
    expect(after).toEqual([...before.slice(0, -2), letterId, before.at(-2)!]);
    const top = await owner.post(`/admin/campaigns/${campaignId}/actions`, { actionId: String(after[0]), direction: "up" });
    expect(top.status).toBe(400);
  });

  it("fixes an action's kind once supporters have signed it", async () => {
    const petition = (await p.database.db.selectFrom("actions").select("id").where("campaign_id", "=", campaignId).where("slug", "=", DEMO.action).executeTakeFirstOrThrow()).id;
    await sign(p, supporter("kind"));
    const res = await owner.post(`/admin/campaigns/${campaignId}/actions/${petition}`, letter({ slug: DEMO.action }));
    expect(res.status).toBe(400);
    expect(shown(await res.text())).toContain("Supporters have already acted on this; its kind cannot change.");
    const row = await p.database.db.selectFrom("actions").select("kind").where("id", "=", petition).executeTakeFirstOrThrow();
    expect(row.kind).toBe("petition");
  });

  it("moves a live letter's delivery to every 6 hours and the schedulers follow", async () => {
    const minister = (await p.database.db.selectFrom("actions").select("id").where("campaign_id", "=", campaignId).where("kind", "=", "letter").orderBy("id").executeTakeFirstOrThrow()).id;
    const page = await owner.fetch(`/admin/campaigns/${campaignId}/actions/${minister}`);
    expect(page.status).toBe(200);
    const saved = await p.database.db.selectFrom("action_translations").selectAll().where("action_id", "=", minister).execute();
    const targets = await p.database.db.selectFrom("action_targets").select("target_id").where("action_id", "=", minister).execute();
    const fields: Record<string, string | string[]> = {
      kind: "letter", slug: "write-to-the-minister", goal: "1000", deliveryMode: "interval", deliveryEveryHours: "6", deliveryLocalHour: "9", deliveryThreshold: "100",
      targetIds: targets.map((t) => String(t.target_id)),
    };
    for (const w of saved) Object.assign(fields, { [`title_${w.language}`]: w.title, [`ask_${w.language}`]: w.ask, [`subject_${w.language}`]: w.letter_subject ?? "", [`body_${w.language}`]: w.letter_body ?? "" });
    const res = await owner.post(`/admin/campaigns/${campaignId}/actions/${minister}`, fields);
    expect(res.status).toBe(200);
    await eventually(async () => {
      const keys = (await queue.getJobSchedulers(0, -1)).map((s) => s.key).filter((k) => k.startsWith(`deliver-${minister}-`));
      return keys.length === 1 && keys[0] === `deliver-${minister}-every-6h` ? keys : undefined;
    }, 15_000, "the interval scheduler");
  });
});
