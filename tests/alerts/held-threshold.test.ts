import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCampaigner } from "#db/seed";
import { signIn, type SignedIn } from "../support/campaigner";
import { DEMO, eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { ACTION_PATH, supporter } from "../support/supporter";

describe("held signatures passing a campaign's threshold", () => {
  let p: TestPlatform;
  let owner: SignedIn;
  let campaignId: number;
  const db = () => p.database.db;
  const heldAlerts = () => db().selectFrom("staff_alerts").selectAll().where("kind", "=", "held").orderBy("id").execute();
  const heldIds = async () => (await db().selectFrom("signatures").select("id").where("held_at", "is not", null).orderBy("id").execute()).map((r) => r.id);
  const alertMails = () => p.smtp.messages.filter((m) => m.to.includes("campaigner@inkwell.example") && / held for review$/.test(m.subject));
  const signFrom = (ip: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => postSign(p.url, supporter("held"), ACTION_PATH, { "X-Forwarded-For": ip }).then((r) => expect(r.status).toBe(302))));

  beforeAll(async () => {
    // Everything past the first signature from one address in an hour is held.
    Object.assign(process.env, { SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: "1", RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: "100" });
    p = await startTestPlatform({ limits: true });
    owner = await signIn(p.url, await seedDemoCampaigner(db()));
    campaignId = (await db().selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("alerts once when the threshold is passed, even by concurrent holds, and again only after reviewing brings it below", async () => {
    const saved = await owner.post(`/admin/campaigns/${campaignId}/suspicious`, { intent: "threshold", threshold: "3" });
    expect(saved.status).toBe(302);
    const page = await (await owner.fetch(saved.headers.get("location")!)).text();
    expect(page).toContain("Alert threshold set to 3.");
    expect(page).toMatch(/name="threshold"[^>]*value="3"/);
    await signFrom("198.51.100.20", 2); // one counted, one held: under the threshold
    expect(await heldAlerts()).toHaveLength(0);
    await signFrom("198.51.100.20", 5); // six held, passed concurrently
    await eventually(async () => (await heldIds()).length === 6, 10_000, "six held");
    const alerts = await heldAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.detail).toMatchObject({ threshold: 3 });
    expect(Number(alerts[0]!.detail.held)).toBeGreaterThanOrEqual(3);
    const mail = await eventually(async () => alertMails()[0], 15_000, "held alert email");
    expect(mail.text).toContain(`/admin/campaigns/${campaignId}/suspicious`);

    // Still above the threshold: more holds do not alert again.
    await signFrom("198.51.100.20", 2);
    expect(await heldAlerts()).toHaveLength(1);

    // Reviewing brings it below the threshold; the next crossing alerts again, once.
    const action = (await db().selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow()).id;
    const release = await owner.post(`/admin/campaigns/${campaignId}/suspicious`, { action: String(action), intent: "release", ids: (await heldIds()).map(String) });
    expect(release.status).toBe(302);
    expect(await heldIds()).toHaveLength(0);
    await signFrom("198.51.100.20", 3);
    await eventually(async () => (await heldAlerts()).length === 2, 10_000, "second held alert");
    await eventually(async () => alertMails().length === 2 && alertMails(), 15_000, "second held email");
    await signFrom("198.51.100.20", 1);
    expect(await heldAlerts()).toHaveLength(2);
    expect(alertMails()).toHaveLength(2);
  });
});
