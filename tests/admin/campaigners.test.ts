import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type Account, type SignedIn } from "../support/campaigner";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { shown } from "./page-text";

let p: TestPlatform;
let admin: SignedIn;
let adminAccount: Account;
beforeAll(async () => {
  p = await startTestPlatform(); // the worker sends reset emails
  adminAccount = await createCampaigner(p.database.db, { role: "admin", tag: "admin" });
  admin = await signIn(p.url, adminAccount);
});
afterAll(async () => p?.stop());

const idOf = async (email: string) => (await p.database.db.selectFrom("campaigners").selectAll().where("email", "=", email).executeTakeFirstOrThrow());

describe("managing campaigners (admin)", () => {
  it("adds a campaigner with a temporary password, who can sign in; audited", async () => {
    const res = await admin.post("/admin/campaigners", { intent: "add", email: "Lucia.Torres@Inkwell.test", name: "Lucía Torres", role: "campaigner", password: "a temporary password" });
    expect(res.status).toBe(200);
    expect(shown(await res.text())).toContain("Added, with the temporary password.");
    const row = await idOf("lucia.torres@inkwell.test");
    expect(row.role).toBe("campaigner");
    await signIn(p.url, { email: "lucia.torres@inkwell.test", password: "a temporary password" });
    const audit = await p.database.db.selectFrom("audit_log").select(["action", "campaigner_id"]).where("subject_id", "=", String(row.id)).execute();
    expect(audit).toEqual([{ action: "campaigner.add", campaigner_id: adminAccount.id }]);
  });

  it("adds a campaigner without a password and emails them a link to choose one", async () => {
    const res = await admin.post("/admin/campaigners", { intent: "add", email: "pedro@inkwell.test", name: "Pedro", role: "admin" });
    expect(res.status).toBe(200);
    const mail = await eventually(async () => p.smtp.to("pedro@inkwell.test")[0], 15_000, "the link email");
    expect(mail.text).toMatch(/\/admin\/reset-password\/[A-Za-z0-9_-]{43}/);
    expect((await idOf("pedro@inkwell.test")).role).toBe("admin");
  });

  it.each([
    ["an email that has an account", { email: "pedro@inkwell.test", name: "Again" }, 409, "There is already an account with this email."],
    ["a bad email", { email: "pedro.inkwell.test", name: "Pedro" }, 400, "Enter a valid email address."],
    ["a short temporary password", { email: "new@inkwell.test", name: "New", password: "short" }, 400, "Use at least 12 characters."],
    ["an empty name", { email: "new@inkwell.test", name: " " }, 400, "Enter their name."],
  ])("bad input: refuses %s next to the field, adding nobody", async (_name, fields, status, message) => {
    const before = await p.database.db.selectFrom("campaigners").select("id").execute();
    const res = await admin.post("/admin/campaigners", { intent: "add", role: "campaigner", ...fields });
    expect(res.status).toBe(status);
    expect(shown(await res.text())).toContain(message);
    expect(await p.database.db.selectFrom("campaigners").select("id").execute()).toHaveLength(before.length);
  });

  it("changes a role, and disabling someone ends their sessions and their sign-in", async () => {
    const account = await createCampaigner(p.database.db, { tag: "to-disable" });
    const session = await signIn(p.url, account);
    expect((await admin.post("/admin/campaigners", { campaignerId: String(account.id), role: "admin" })).status).toBe(302);
    expect((await idOf(account.email)).role).toBe("admin");
    expect((await admin.post("/admin/campaigners", { campaignerId: String(account.id), disabled: "yes" })).status).toBe(302);
    expect((await session.fetch("/admin")).status).toBe(302);
    await expect(signIn(p.url, account)).rejects.toThrow(/401/);
    expect((await admin.post("/admin/campaigners", { campaignerId: String(account.id), disabled: "no" })).status).toBe(302);
    await signIn(p.url, account);
    const audit = await p.database.db.selectFrom("audit_log").select("action").where("subject_id", "=", String(account.id)).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["campaigner.role", "campaigner.disable", "campaigner.enable"]);
  });

  it("bad input: an admin cannot disable themselves or drop their own role", async () => {
    const res = await admin.post("/admin/campaigners", { campaignerId: String(adminAccount.id), disabled: "yes" });
    expect(res.status).toBe(400);
    expect(shown(await res.text())).toContain("You cannot take away your own admin role or disable yourself");
    expect((await admin.post("/admin/campaigners", { campaignerId: "99999999", role: "admin" })).status).toBe(404);
    expect((await admin.post("/admin/campaigners", { campaignerId: "abc" })).status).toBe(400);
  });
});

describe("your own account", () => {
  it("lists your sessions, ends the others, and changes the password with the current one", async () => {
    const account = await createCampaigner(p.database.db, { tag: "self" });
    const [here, there] = [await signIn(p.url, account), await signIn(p.url, account)];
    const page = await (await here.fetch("/admin/account")).text();
    expect(page.match(/End this session|Sign out here/g)).toHaveLength(2);
    expect((await here.post("/admin/account", {})).status).toBe(302);
    expect((await there.fetch("/admin")).status).toBe(302);
    expect((await here.fetch("/admin")).status).toBe(200);

    const wrong = await here.post("/admin/account", { intent: "password", current: "not my password at all", password: "a new long password", confirm: "a new long password" });
    expect(wrong.status).toBe(400);
    expect(shown(await wrong.text())).toContain("That is not your current password.");
    const differ = await here.post("/admin/account", { intent: "password", current: account.password, password: "a new long password", confirm: "another one" });
    expect(differ.status).toBe(400);
    expect(shown(await differ.text())).toContain("The two passwords differ.");
    const third = await signIn(p.url, account);
    const ok = await here.post("/admin/account", { intent: "password", current: account.password, password: "a new long password", confirm: "a new long password" });
    expect(ok.status).toBe(200);
    expect((await third.fetch("/admin")).status).toBe(302);
    expect((await here.fetch("/admin")).status).toBe(200);
    await signIn(p.url, { email: account.email, password: "a new long password" });
    const sessions = await p.database.db.selectFrom("campaigner_sessions").select("id").where("campaigner_id", "=", account.id).where("revoked_at", "is", null).execute();
    expect(sessions).toHaveLength(2);
    // Ending another campaigner's session by its id does nothing.
    const foreign = await p.database.db.selectFrom("campaigner_sessions").select("id").where("campaigner_id", "=", adminAccount.id).executeTakeFirstOrThrow();
    expect((await here.post("/admin/account", { session: foreign.id.toString("hex") })).status).toBe(302);
    expect((await admin.fetch("/admin")).status).toBe(200);
  });
});

describe("audit log", () => {
  it("shows admins every entry with who and what, paged by id; members see their campaign's history", async () => {
    const db = p.database.db;
    const demo = await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    await db.insertInto("audit_log").values(Array.from({ length: 60 }, (_, i) => ({ campaigner_id: adminAccount.id, campaign_id: demo.id, action: "test.entry", subject_type: "campaign", subject_id: String(i), details: "{}" }))).execute();
    const first = await (await admin.fetch("/admin/audit")).text();
    expect(shown(first)).toContain("test.entry");
    expect(shown(first)).toContain(adminAccount.email);
    const older = /href="(\/admin\/audit\?before=\d+)"/.exec(first)?.[1];
    expect(older).toBeDefined();
    expect((await admin.fetch(older!)).status).toBe(200);
    const member = await signIn(p.url, await createCampaigner(db, { campaignIds: [demo.id], tag: "member" }));
    expect((await member.fetch("/admin/audit")).status).toBe(404);
    const history = await member.fetch(`/admin/campaigns/${demo.id}/audit?before=garbage`);
    expect(history.status).toBe(200);
    expect(shown(await history.text())).toContain("test.entry");
  });
});
