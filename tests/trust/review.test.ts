import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordTrendingReport } from "#jobs/trending";
import { createCampaigner, signIn } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { sign, signatureOf, supporter } from "../support/supporter";

let p: TestPlatform;
let campaignId: number;
let actionId: number;
beforeAll(async () => {
  Object.assign(process.env, { SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: "2" });
  p = await startTestPlatform({ limits: true });
  campaignId = (await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  actionId = (await p.database.db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await p?.stop();
});

describe("the campaigner's review of held signatures", () => {
  it("lists held signatures only to the campaign's team, and releases or invalidates them with an audit trail", async () => {
    const people = Array.from({ length: 5 }, (_, i) => supporter(`review${i}`, { email: `review${i}.${process.pid}@held.example` }));
    for (const person of people) await sign(p, person, { "X-Forwarded-For": "198.51.100.44" });
    const [, , third, fourth] = await Promise.all(people.map((x) => signatureOf(p.database.db, x.email)));
    expect([third!.held_at, fourth!.held_at].every(Boolean)).toBe(true);
    await recordTrendingReport(p.database.db, new Date(Date.now() + 3600_000));
    const path = `/admin/campaigns/${campaignId}/suspicious?action=${actionId}`;

    const anonymous = await fetch(p.url + path, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/admin/sign-in");
    const outsider = await signIn(p.url, await createCampaigner(p.database.db, { tag: "outsider" }));
    expect((await outsider.fetch(path)).status).toBe(404);
    expect((await outsider.post(path, { action: String(actionId), intent: "release", ids: String(third!.id) })).status).toBe(404);

    const owner = await signIn(p.url, await createCampaigner(p.database.db, { tag: "owner", campaignIds: [campaignId] }));
    const html = await (await owner.fetch(path)).text();
    expect(html).toContain(people[2]!.name);
    expect(html).toContain(people[3]!.name);
    expect(html).not.toContain(people[0]!.name);
    expect(html).not.toContain(people[2]!.email); // the domain only
    expect(html).toContain("held.example");

    const forged = await owner.fetch(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `action=${actionId}&intent=release&ids=${third!.id}&csrf=wrong` });
    expect(forged.status).toBe(403);
    expect((await owner.post(path, { action: String(actionId), intent: "invalidate", ids: String(fourth!.id), reason: "" })).status).toBe(400);
    expect((await owner.post(path, { action: String(actionId), intent: "release", ids: [] })).status).toBe(400);

    const released = await owner.post(path, { action: String(actionId), intent: "release", ids: String(third!.id) });
    expect(released.status).toBe(302);
    expect((await signatureOf(p.database.db, people[2]!.email))!.held_at).toBeNull();
    const invalidated = await owner.post(path, { action: String(actionId), intent: "invalidate", ids: String(fourth!.id), reason: "one person, many names" });
    expect(invalidated.status).toBe(302);
    expect(await signatureOf(p.database.db, people[3]!.email)).toMatchObject({ status: "invalidated", invalidated_reason: "one person, many names" });

    const audit = await p.database.db.selectFrom("audit_log").select(["action", "details"]).where("campaign_id", "=", campaignId).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["signatures.release", "signatures.invalidate"]));
    const after = await (await owner.fetch(`${path}&done=release-1`)).text();
    expect(after).toContain("1 signature released");
    expect(after).not.toContain(people[2]!.name);
    expect(after).not.toContain(people[3]!.name);
    expect(after).toContain(people[4]!.name);
    expect(after).not.toContain("Nothing trending"); // the hour's report names held.example
  });
});
