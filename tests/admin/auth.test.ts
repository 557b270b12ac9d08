import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { createCampaigner, signIn } from "../support/campaigner";

let p: TestPlatform;
beforeAll(async () => {
  // The per-address backstop set low, so a dozen failures from a dozen IPs meet it (the default is 30 an hour).
  process.env.RATE_LIMIT_SIGNIN_PER_EMAIL_PER_HOUR = "10";
  p = await startTestPlatform({ limits: true }); // the worker sends reset emails
});
afterAll(async () => p?.stop());

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  redirect: "manual" as const,
  headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(fields),
});

describe("workspace sign-in", () => {
  it("sends anonymous visitors to sign in and brings them back", async () => {
    const res = await fetch(`${p.url}/admin?x=1`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/admin/sign-in?next=${encodeURIComponent("/admin?x=1")}`);
  });

  it("signs in with the right password, and a session cookie that is HttpOnly and SameSite", async () => {
    const account = await createCampaigner(p.database.db);
    const res = await fetch(`${p.url}/admin/sign-in`, form({ email: account.email.toUpperCase(), password: account.password, next: "/admin/officials" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/officials");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const stored = await p.database.db.selectFrom("campaigner_sessions").select("id").where("campaigner_id", "=", account.id).execute();
    expect(stored).toHaveLength(1);
    // Only the token's hash is stored: the cookie's value is nowhere in the table.
    expect(stored[0]!.id.toString("base64url")).not.toBe(cookie.split(";")[0]!.split("=")[1]);
  });

  it("refuses a wrong password or an unknown email with the same message (401), and never follows a foreign next", async () => {
    const account = await createCampaigner(p.database.db);
    const wrong = await fetch(`${p.url}/admin/sign-in`, form({ email: account.email, password: "not the password at all" }));
    const unknown = await fetch(`${p.url}/admin/sign-in`, form({ email: "nobody@inkwell.test", password: "not the password at all" }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain("do not match an account");
    expect(await unknown.text()).toContain("do not match an account");
    const offsite = await fetch(`${p.url}/admin/sign-in`, form({ email: account.email, password: account.password, next: "//evil.example/" }));
    expect(offsite.headers.get("location")).toBe("/admin");
  });

  it("names the missing field on an empty form (400)", async () => {
    const res = await fetch(`${p.url}/admin/sign-in`, form({ email: "", password: "" }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Enter your email address.");
  });

  it("refuses a sign-in posted from another site (403)", async () => {
    const account = await createCampaigner(p.database.db);
    const res = await fetch(`${p.url}/admin/sign-in`, form({ email: account.email, password: account.password }, { Origin: "https://evil.example" }));
    expect(res.status).toBe(403);
  });

  it("limits sign-in attempts for one address (429)", async () => {
    const account = await createCampaigner(p.database.db);
    const statuses: number[] = [];
    let limited = "";
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${p.url}/admin/sign-in`, form({ email: account.email, password: `wrong password ${i}` }, { "X-Forwarded-For": `10.0.0.${i}` }));
      statuses.push(res.status);
      if (res.status === 429) limited = await res.text();
    }
    expect(statuses).toContain(429);
    expect(limited).toContain("Too many attempts");
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
  });

  it("signs out with a POST carrying the CSRF token; the old cookie stops working", async () => {
    const account = await createCampaigner(p.database.db);
    const session = await signIn(p.url, account);
    const forged = await session.fetch("/admin/sign-out", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "csrf=forged" });
    expect(forged.status).toBe(403);
    expect((await session.fetch("/admin")).status).toBe(200);
    const out = await session.post("/admin/sign-out");
    expect(out.status).toBe(302);
    const after = await session.fetch("/admin");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/admin\/sign-in/);
  });

  it("answers a workspace form whose body cannot be read with a 400 (bad input: broken multipart)", async () => {
    const account = await createCampaigner(p.database.db);
    const session = await signIn(p.url, account);
    const res = await session.fetch("/admin/campaigns/new", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=zz", Origin: p.url },
      body: "--zz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nbroken",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("could not be read");
  });

  it("resets a password through the emailed link once; old sessions end", async () => {
    const account = await createCampaigner(p.database.db);
    const old = await signIn(p.url, account);
    const asked = await fetch(`${p.url}/admin/forgot-password`, form({ email: account.email }));
    expect(asked.status).toBe(200);
    const nobody = await fetch(`${p.url}/admin/forgot-password`, form({ email: "nobody-at-all@inkwell.test" }));
    expect(await nobody.text()).toContain("Check your email");
    const mail = await eventually(async () => p.smtp.to(account.email)[0], 15_000, "reset email");
    const link = /https?:\/\/\S+\/admin\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    const path = new URL(link).pathname;
    expect((await fetch(`${p.url}${path}`)).status).toBe(200);
    const short = await fetch(`${p.url}${path}`, form({ password: "short", confirm: "short" }));
    expect(short.status).toBe(400);
    const done = await fetch(`${p.url}${path}`, form({ password: "a brand new long password", confirm: "a brand new long password" }));
    expect(done.status).toBe(302);
    expect((await fetch(`${p.url}${path}`)).status).toBe(404);
    expect((await old.fetch("/admin")).status).toBe(302);
    await signIn(p.url, { email: account.email, password: "a brand new long password" });
    await expect(signIn(p.url, account)).rejects.toThrow(/401/);
  });
});
