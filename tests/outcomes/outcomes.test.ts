import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCampaigner } from "#db/seed";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { LETTER_ACTION, letterAction, writeAndConfirm } from "../support/letters";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailTo, postConfirm, sign, supporter } from "../support/supporter";

process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = "true";
process.env.WEBHOOK_RETRY_DELAY_MS = "50";

let p: TestPlatform;
let owner: SignedIn;
let campaignId: number;
const hooks: string[] = [];
let hookServer: http.Server;
let hookUrl: string;
const db = () => p.database.db;

/** Rows that a refused post must leave as they were. */
async function written() {
  const { rows } = await sql<{ outcomes: number; results: number; updates: number; audit: number }>`
    select (select count(*) from outcomes)::int as outcomes, (select count(*) from campaign_results)::int as results,
      (select count(*) from updates)::int as updates, (select count(*) from audit_log)::int as audit
  `.execute(db());
  return rows[0]!;
}

async function signUp(tag: string, language: string, updates: boolean) {
  const fields = supporter(tag, updates ? { updates: "on" } : {});
  await sign(p, fields, { "Accept-Language": language });
  await postConfirm(confirmLink((await mailTo(p, fields.email)).text));
  return fields.email;
}

beforeAll(async () => {
  hookServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hooks.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hooks`;
  p = await startTestPlatform();
  // Batches go out only when a test says so: the seeded history below is the whole history.
  await db().updateTable("actions").set({ delivery_mode: "manual" }).execute();
  campaignId = (await db().selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  owner = await signIn(p.url, await seedDemoCampaigner(db()));
  const added = await owner.post(`/admin/campaigns/${campaignId}/webhooks`, { intent: "add", url: hookUrl, events: ["outcome.recorded"] });
  expect(added.status).toBe(200);
});
afterAll(async () => {
  await p?.stop();
  await new Promise((r) => (hookServer ? hookServer.close(r) : r(null)));
});

describe("outcomes", () => {
  it("records a result and an outcome once: on the page, in both APIs, one update per subscriber in their language, one webhook", async () => {
    const french = await signUp("fr", "fr", true);
    const spanish = await signUp("es", "es", true);
    const silent = await signUp("quiet", "en", false);
    const page = await (await owner.fetch(`/admin/campaigns/${campaignId}/outcome`)).text();
    expect(page).toContain("Record an outcome");

    const result = await owner.post(`/admin/campaigns/${campaignId}/outcome`, {
      intent: "result", action: "", kind: "response", happenedOn: "2026-11-30", who: "Ministry of Justice",
      what: "Agreed to review the cases of 40 prisoners.", link: "https://www.minjus.example/statement",
    });
    expect(result.status).toBe(200);

    const fields = { intent: "outcome", action: "", outcome: "partly_won", decidedOn: "2026-12-01", summary: "Twelve prisoners were released." };
    const answers = await Promise.all([owner.post(`/admin/campaigns/${campaignId}/outcome`, fields), owner.post(`/admin/campaigns/${campaignId}/outcome`, fields)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const outcomes = await db().selectFrom("outcomes").selectAll().execute();
    expect(outcomes).toHaveLength(1);
    const audit = await db().selectFrom("audit_log").select("action").where("action", "in", ["outcome.record", "result.add"]).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["outcome.record", "result.add"]);

    // The update reaches each subscriber once, in their language; the one who did not ask gets nothing.
    await eventually(async () => (await db().selectFrom("updates").select("status").where("id", "=", outcomes[0]!.update_id!).executeTakeFirst())?.status === "sent", 30_000, "outcome update sent");
    const fr = p.smtp.to(french).filter((m) => m.subject.includes("Gagné en partie"));
    const es = p.smtp.to(spanish).filter((m) => m.subject.includes("Logrado en parte"));
    expect(fr).toHaveLength(1);
    expect(es).toHaveLength(1);
    expect(fr[0]!.text).toContain("Twelve prisoners were released.");
    expect(fr[0]!.text).toContain("1 décembre 2026");
    expect(p.smtp.to(silent).filter((m) => !m.subject.toLowerCase().includes("confirm"))).toHaveLength(0);

    // The webhook fires once.
    const event = await eventually(async () => hooks.find((h) => h.includes("outcome.recorded")), 15_000, "outcome.recorded webhook");
    expect(JSON.parse(event)).toMatchObject({ type: "outcome.recorded", data: { outcome: "partly_won", decided_on: "2026-12-01", action_id: null } });

    const en = await (await fetch(`${p.url}/campaigns/${DEMO.campaign}`, { headers: { "Accept-Language": "en" } })).text();
    expect(en).toContain("Outcome: Partly won");
    expect(en).toContain("Twelve prisoners were released.");
    expect(en).toContain("Response from Ministry of Justice");
    expect(en).toContain('href="https://www.minjus.example/statement"');
    const frPage = await (await fetch(`${p.url}/campaigns/${DEMO.campaign}`, { headers: { "Accept-Language": "fr" } })).text();
    expect(frPage).toContain("Gagné en partie");

    const api = (await (await fetch(`${p.url}/api/campaigns/${DEMO.campaign}?lang=es`)).json()) as Record<string, any>;
    expect(api.outcome).toEqual({ action: null, outcome: "partly_won", date: "2026-12-01", summary: "Twelve prisoners were released." });
    expect(api.timeline.map((e: { kind: string }) => e.kind)).toEqual(["response", "outcome"]);
    expect(api.responsiveness.caveats[0]).toContain("Inkwell");

    const created = await owner.post("/admin/api-keys", { intent: "create", name: "outcomes", scopes: ["read"], campaigns: [String(campaignId)] });
    const key = /inkw_[A-Za-z0-9_-]{43}/.exec(await created.text())![0];
    const petition = await db().selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow();
    const osdi = (await (await fetch(`${p.url}/api/v1/petitions/${petition.id}`, { headers: { "OSDI-API-Token": key } })).json()) as Record<string, any>;
    expect(osdi["inkwell:outcome"]).toMatchObject({ outcome: "partly_won" });
    expect(osdi["inkwell:timeline"]).toHaveLength(2);

    // Pressing again later changes nothing: no second update, no second event.
    expect((await owner.post(`/admin/campaigns/${campaignId}/outcome`, fields)).status).toBe(409);
    await eventually(async () => (await db().selectFrom("webhook_deliveries").select("status").executeTakeFirst())?.status === "sent", 15_000, "webhook settled");
    expect(await db().selectFrom("updates").select("id").execute()).toHaveLength(1);
    expect(hooks.filter((h) => h.includes("outcome.recorded"))).toHaveLength(1);
    expect(p.smtp.to(french).filter((m) => m.subject.includes("Gagné en partie"))).toHaveLength(1);

    // A mistaken entry comes off the timeline, audited.
    const wrong = await owner.post(`/admin/campaigns/${campaignId}/outcome`, { intent: "result", action: "", kind: "result", happenedOn: "2026-11-02", who: "Typo", what: "Wrong." });
    expect(wrong.status).toBe(200);
    const row = await db().selectFrom("campaign_results").select("id").where("who", "=", "Typo").executeTakeFirstOrThrow();
    expect((await owner.post(`/admin/campaigns/${campaignId}/outcome`, { intent: "remove", id: String(row.id) })).status).toBe(200);
    expect(await db().selectFrom("campaign_results").select("id").where("who", "=", "Typo").execute()).toHaveLength(0);
    expect(await db().selectFrom("audit_log").select("id").where("action", "=", "result.remove").where("subject_id", "=", String(row.id)).execute()).toHaveLength(1);
  });

  it("refuses bad dates, huge text, unknown outcomes and other campaigns' ids with a 4xx, writing nothing", async () => {
    const other = await db().insertInto("campaigns").values({ slug: "someone-elses-campaign" }).returning("id").executeTakeFirstOrThrow();
    const otherAction = await db().insertInto("actions").values({ campaign_id: other.id, slug: "their-action", kind: "petition", goal: 10 }).returning("id").executeTakeFirstOrThrow();
    const otherResult = await db().insertInto("campaign_results")
      .values({ campaign_id: other.id, kind: "result", happened_on: "2026-11-01", who: "Them", what: "Theirs" }).returning("id").executeTakeFirstOrThrow();
    const letter = await db().selectFrom("actions").select("id").where("slug", "=", LETTER_ACTION).executeTakeFirstOrThrow();
    const before = await written();
    const base = { intent: "outcome", action: String(letter.id), outcome: "won", decidedOn: "2026-12-01", summary: "Released." };
    const resultBase = { intent: "result", action: "", kind: "result", happenedOn: "2026-11-29", who: "Court", what: "Ruled." };
    const cases: Record<string, string>[] = [
      { ...base, decidedOn: "2026-02-30" },
      { ...base, decidedOn: "yesterday" },
      { ...base, decidedOn: "2999-01-01" },
      { ...base, decidedOn: "1066-10-14" },
      { ...base, outcome: "victory" },
      { ...base, summary: "" },
      { ...base, summary: "x".repeat(100_000) },
      { ...base, action: String(otherAction.id) },
      { ...base, action: "-3" },
      { ...base, action: "99999999999999999999" },
      { ...resultBase, happenedOn: "2026-13-01" },
      { ...resultBase, kind: "rumour" },
      { ...resultBase, what: "y".repeat(50_000) },
      { ...resultBase, link: "javascript:alert(1)" },
      { ...resultBase, link: "http://plain.example/x" },
      { ...resultBase, action: String(otherAction.id) },
      { intent: "remove", id: String(otherResult.id) },
      { intent: "remove", id: "abc" },
      { intent: "something-else" },
    ];
    for (const fields of cases) {
      const res = await owner.post(`/admin/campaigns/${campaignId}/outcome`, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 120)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(fields).slice(0, 120)).toBeLessThan(500);
    }
    // Another campaigner cannot reach this campaign's outcome page at all.
    const stranger = await signIn(p.url, await createCampaigner(db(), { campaignIds: [other.id], tag: "outcome-stranger" }));
    expect((await stranger.post(`/admin/campaigns/${campaignId}/outcome`, { ...base })).status).toBe(404);
    expect(await written()).toEqual(before);
    expect(await db().selectFrom("campaign_results").select("id").where("id", "=", otherResult.id).execute()).toHaveLength(1);
  });

  it("counts letters delivered, batches answered and median days per official, leaving a bounced batch out", async () => {
    const letter = await db().selectFrom("actions").select("id").where("slug", "=", LETTER_ACTION).executeTakeFirstOrThrow();
    const [prompt, silent] = await db().insertInto("targets")
      .values([
        { name: "Prompt Official", title: "Minister", organisation: "Ministry", country: "PE", email: "prompt@gob.example" },
        { name: "Silent Official", title: "Commissioner", organisation: "Commission", country: "PE", email: "silent@gob.example" },
      ]).returning("id").execute();
    await db().insertInto("action_targets").values([{ action_id: letter.id, target_id: prompt!.id }, { action_id: letter.id, target_id: silent!.id }]).execute();
    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 9));
    const batch = async (target: number, seq: number, items: number, sentDay: number, bounced = false) =>
      (await db().insertInto("deliveries").values({
        action_id: letter.id, target_id: target, seq, items, items_to_date: items, parts: 1, trigger: "manual",
        status: bounced ? "failed" : "sent", sent_at: day(sentDay), ...(bounced ? { bounced_at: day(sentDay + 1), error: "550 no such user" } : {}),
      }).returning("id").executeTakeFirstOrThrow()).id;
    const reply = async (delivery: number, target: number, receivedDay: number, n: number) =>
      db().insertInto("official_replies").values({
        delivery_id: delivery, target_id: target, campaign_id: campaignId, message_id: `<r${delivery}.${n}@gob.example>`,
        from_address: "prompt@gob.example", subject: "Re", body_text: "Received.", received_at: day(receivedDay),
      }).execute();
    const b1 = await batch(prompt!.id, 1, 3, 1);
    const b2 = await batch(prompt!.id, 2, 2, 10);
    const bounced = await batch(prompt!.id, 3, 7, 12, true);
    await reply(b1, prompt!.id, 3, 1); // 2 days
    await reply(b1, prompt!.id, 8, 2); // a second reply to the same batch: the first one counts
    await reply(b2, prompt!.id, 14, 1); // 4 days
    await reply(bounced, prompt!.id, 20, 1); // the bounced batch was never delivered: not counted
    await batch(silent!.id, 1, 4, 5);

    const api = (await (await fetch(`${p.url}/api/campaigns/${DEMO.campaign}`)).json()) as Record<string, any>;
    const figures = (id: number) => api.responsiveness.officials.find((o: { official_id: number }) => o.official_id === id);
    expect(figures(prompt!.id).campaign).toEqual({ letters_delivered: 5, batches_delivered: 2, batches_answered: 2, median_days_to_reply: 3 });
    expect(figures(silent!.id).campaign).toEqual({ letters_delivered: 4, batches_delivered: 1, batches_answered: 0, median_days_to_reply: null });
    expect(figures(prompt!.id).all_campaigns).toEqual(figures(prompt!.id).campaign);
    expect(api.responsiveness.campaign).toEqual({ letters_delivered: 9, batches_delivered: 3, batches_answered: 2, median_days_to_reply: 3 });
    // The timeline lists honest deliveries only: the bounced batch's seven letters are not there.
    const deliveries = api.timeline.filter((e: { kind: string }) => e.kind === "delivery");
    expect(deliveries.map((d: { letters: number; date: string }) => [d.date, d.letters])).toEqual([["2026-11-01", 3], ["2026-11-05", 4], ["2026-11-10", 2]]);

    const html = await (await fetch(`${p.url}/campaigns/${DEMO.campaign}`, { headers: { "Accept-Language": "en" } })).text();
    expect(html).toContain("How the officials responded");
    expect(html).toContain("Too few batches to compare");
    expect(html).toContain("answers by post, by phone or to another address are not counted");
    expect(html).toContain("Delivered to Prompt Official: 3");
    expect(html).not.toContain("Delivered to Prompt Official: 7");
  });

  it("tells a call to action's outcome only to that action's supporters, in their language", async () => {
    const ids = await letterAction(p);
    const writer = await writeAndConfirm(p, [ids.justice], { updates: "on" });
    await db().updateTable("signatures").set({ language: "ar" }).where("supporter_id", "=", (await db().selectFrom("supporters").select("id").where("email", "=", writer.email).executeTakeFirstOrThrow()).id).execute();
    const signer = await signUp("petition-only", "en", true);
    const res = await owner.post(`/admin/campaigns/${campaignId}/outcome`, {
      intent: "outcome", action: String(ids.actionId), outcome: "no_change", decidedOn: "2026-12-02", summary: "The minister has not answered.",
    });
    expect(res.status).toBe(200);
    const outcome = await db().selectFrom("outcomes").selectAll().where("action_id", "=", ids.actionId).executeTakeFirstOrThrow();
    await eventually(async () => (await db().selectFrom("updates").select("status").where("id", "=", outcome.update_id!).executeTakeFirst())?.status === "sent", 30_000, "action outcome sent");
    const told = p.smtp.to(writer.email).filter((m) => m.subject.includes("لا تغيير حتى الآن"));
    expect(told).toHaveLength(1);
    expect(p.smtp.to(signer).filter((m) => m.text.includes("The minister has not answered."))).toHaveLength(0);
    const api = (await (await fetch(`${p.url}/api/campaigns/${DEMO.campaign}`)).json()) as Record<string, any>;
    expect(api.action_outcomes).toEqual([{ action: LETTER_ACTION, outcome: "no_change", date: "2026-12-02", summary: "The minister has not answered." }]);
  });
});
