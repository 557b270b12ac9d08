import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { shown } from "../admin/page-text";

let p: TestPlatform;
let owner: SignedIn;
let stranger: SignedIn;
let admin: SignedIn;
let campaignId: number;
let minister: { id: number; email: string };
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  campaignId = (await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  [owner, stranger, admin] = await Promise.all([
    createCampaigner(p.database.db, { campaignIds: [campaignId], tag: "owner" }).then((a) => signIn(p.url, a)),
    createCampaigner(p.database.db, { tag: "stranger" }).then((a) => signIn(p.url, a)),
    createCampaigner(p.database.db, { role: "admin", tag: "admin" }).then((a) => signIn(p.url, a)),
  ]);
  // An official the demo campaign writes to.
  const target = await p.database.db.selectFrom("action_targets").select("target_id").orderBy("target_id").executeTakeFirstOrThrow();
  minister = { id: target.target_id, email: `minister.${process.pid}@gob.example` };
  await p.database.db.updateTable("targets").set({ email: minister.email, title: "Minister of Justice" }).where("id", "=", minister.id).execute();
});
afterAll(async () => p?.stop());

const HEADER = "name,title,organisation,country,email,language,time_zone\r\n";
const row = (name: string, title: string, email: string) => `${name},${title},Ministry of Justice,PE,${email},es,America/Lima\r\n`;

function upload(session: SignedIn, csv: string) {
  const form = new FormData();
  form.append("csrf", session.csrf);
  form.append("file", new Blob([csv], { type: "text/csv" }), "officials.csv");
  return session.fetch("/admin/officials/import", { method: "POST", headers: { Origin: p.url }, body: form });
}

const ministerTitle = async () => (await p.database.db.selectFrom("targets").select("title").where("id", "=", minister.id).executeTakeFirstOrThrow()).title;

describe("importing officials applies the rule of editing one", () => {
  it("refuses, row by row with the reason, the rows that would change officials of campaigns the importer has no part in", async () => {
    const newcomer = `newcomer.${process.pid}@court.example`;
    const res = await upload(stranger, HEADER + row("Overwritten", "Puppet", minister.email.toUpperCase()) + row("Ana Newcomer", "Judge", newcomer));
    expect(res.status).toBe(200);
    const html = shown(await res.text());
    expect(html).toContain("1 imported, 0 updated, 1 failed.");
    expect(html).toContain("campaigns you do not work on");
    expect(await ministerTitle()).toBe("Minister of Justice");
    const added = await p.database.db.selectFrom("targets").select("name").where("email", "=", newcomer).executeTakeFirst();
    expect(added?.name).toBe("Ana Newcomer");

    const only = await upload(stranger, HEADER + row("Overwritten", "Puppet", minister.email));
    expect(only.status).toBe(403);
    expect(await ministerTitle()).toBe("Minister of Justice");
  });

  it("lets the campaign's own campaigner and admins update them, and the campaign's history names what changed", async () => {
    expect((await upload(owner, HEADER + row("Minister", "Minister of Justice and Human Rights", minister.email))).status).toBe(200);
    expect(await ministerTitle()).toBe("Minister of Justice and Human Rights");
    expect((await upload(admin, HEADER + row("Minister", "Acting Minister", minister.email))).status).toBe(200);
    expect(await ministerTitle()).toBe("Acting Minister");

    const entries = await p.database.db
      .selectFrom("audit_log").select(["details"]).where("campaign_id", "=", campaignId).where("action", "=", "official.update")
      .where("subject_id", "=", String(minister.id)).orderBy("id").execute();
    expect(entries.map((e) => e.details)).toEqual([
      expect.objectContaining({ via: "import", changed: expect.objectContaining({ title: { from: "Minister of Justice", to: "Minister of Justice and Human Rights" } }) }),
      expect.objectContaining({ via: "import", changed: expect.objectContaining({ title: { from: "Minister of Justice and Human Rights", to: "Acting Minister" } }) }),
    ]);
    const history = shown(await (await owner.fetch(`/admin/campaigns/${campaignId}/audit`)).text());
    expect(history).toContain("official.update");
    expect(history).toContain("Acting Minister");
  });
});
