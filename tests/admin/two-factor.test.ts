import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type Account, type SignedIn } from "../support/campaigner";
import { startTestPlatform, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => p?.stop());

const PERIOD_MS = 30_000;
const post = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  redirect: "manual" as const,
  headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url, ...headers },
  body: new URLSearchParams(fields),
});
const cookieOf = (res: Response, name: RegExp) => res.headers.getSetCookie().find((c) => name.test(c.split("=")[0]!))?.split(";")[0];
const sessionCookie = (res: Response) => cookieOf(res, /inkwell_session$/);

/** The code an authenticator app shows for a time step (steps are 30-second counts since 1970). */
function codeAt(secretBase32: string, step: number): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: step * PERIOD_MS });
}

/**
 * A code the server has not seen yet: the current step's, or the next one's when the current was
 * just used. Either is inside the accepted window however long the test has taken so far.
 */
function nextCode(secretBase32: string, lastUsedStep: number): string {
  return codeAt(secretBase32, Math.max(Math.floor(Date.now() / PERIOD_MS), lastUsedStep + 1));
}

/** The current step, after waiting out the last seconds of one so a short sequence of requests stays inside a step or the next. */
async function freshStep(): Promise<number> {
  const into = Date.now() % PERIOD_MS;
  if (into > PERIOD_MS - 4_000) await new Promise((r) => setTimeout(r, PERIOD_MS - into + 50));
  return Math.floor(Date.now() / PERIOD_MS);
}

/** A session from a cookie, with the CSRF token read off the two-step page (reachable even when set-up is required). */
async function sessionFrom(cookie: string): Promise<SignedIn> {
  const page = await fetch(`${p.url}/admin/two-factor`, { headers: { Cookie: cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on the two-step page");
  const authed = (path: string, init: RequestInit = {}) => fetch(`${p.url}${path}`, { redirect: "manual", ...init, headers: { Cookie: cookie, ...(init.headers as Record<string, string>) } });
  return { cookie, csrf, fetch: authed, post: (path, fields = {}) => authed(path, post({ csrf, ...(fields as Record<string, string>) })) };
}

/** Sets up two-step sign-in through the page, reading the key as a person would; returns it with the recovery codes. */
async function enrol(session: SignedIn) {
  const page = await (await session.fetch("/admin/two-factor")).text();
  expect(page).toContain("<svg");
  const secret = /class="secret">([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, "");
  const step = await freshStep();
  const res = await session.post("/admin/two-factor", { intent: "enable", code: codeAt(secret, step) });
  const html = await res.text();
  expect(res.status, html.slice(0, 300)).toBe(200);
  const recovery = [...html.matchAll(/<li><code>([a-z2-7-]{19})<\/code><\/li>/g)].map((m) => m[1]!);
  return { secret, step, recovery };
}

/** The password step: returns the response and the pending-step cookie it set. */
async function passwordStep(account: Account, next = "/admin") {
  const res = await fetch(`${p.url}/admin/sign-in`, post({ email: account.email, password: account.password, next }));
  return { res, challenge: cookieOf(res, /inkwell_sign_in$/) };
}

const codeStep = (challenge: string | undefined, code: string, headers: Record<string, string> = {}) =>
  fetch(`${p.url}/admin/sign-in/code`, post({ code }, challenge ? { Cookie: challenge, ...headers } : headers));

const audit = (action: string, subjectId: number) =>
  p.database.db.selectFrom("audit_log").select(["campaigner_id", "details"]).where("action", "=", action).where("subject_id", "=", String(subjectId)).execute();

describe("two-step sign-in", () => {
  it("sets up from the account page: QR code and key shown, a wrong first code refused, the right one switches it on with ten recovery codes", async () => {
    const account = await createCampaigner(p.database.db);
    const elsewhere = await signIn(p.url, account);
    const session = await signIn(p.url, account);
    expect(await (await session.fetch("/admin/account")).text()).toContain("Set up two-step sign-in");

    const page = await (await session.fetch("/admin/two-factor")).text();
    const secret = /class="secret">([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, "");
    const wrong = await session.post("/admin/two-factor", { intent: "enable", code: codeAt(secret, Math.floor(Date.now() / PERIOD_MS) + 20) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("That code is not right");
    const notYet = await p.database.db.selectFrom("campaigner_two_factor").selectAll().where("campaigner_id", "=", account.id).executeTakeFirstOrThrow();
    expect(notYet.enabled_at).toBeNull();
    // Stored encrypted: neither the key's bytes nor its text are in the row.
    expect(notYet.secret_encrypted.includes(Buffer.from(Secret.fromBase32(secret).bytes))).toBe(false);
    expect(notYet.secret_encrypted.toString("latin1")).not.toContain(secret);
    // A second visit shows the same key until it is confirmed.
    expect(await (await session.fetch("/admin/two-factor")).text()).toContain(/class="secret">([A-Z2-7 ]+)</.exec(page)![1]!);

    const done = await enrol(session);
    expect(done.recovery).toHaveLength(10);
    expect(new Set(done.recovery).size).toBe(10);
    const stored = await p.database.db.selectFrom("two_factor_recovery_codes").select("code_hash").where("campaigner_id", "=", account.id).execute();
    expect(stored).toHaveLength(10);
    for (const code of done.recovery) expect(stored.some((s) => s.code_hash.toString("latin1").includes(code))).toBe(false);
    expect(await audit("account.two-factor.enable", account.id)).toHaveLength(1);
    // Switching it on ends the other sessions, which signed in with a password only.
    expect((await elsewhere.fetch("/admin")).status).toBe(302);
    expect((await session.fetch("/admin")).status).toBe(200);
    expect(await (await session.fetch("/admin/account")).text()).toContain("Manage two-step sign-in");
    // The codes are shown once: the page no longer carries them or the key.
    const after = await (await session.fetch("/admin/two-factor")).text();
    expect(after).not.toContain(done.recovery[0]);
    expect(after).not.toContain('class="secret"');
  });

  it("signs in with password then code; a wrong code and a replayed code are refused; the sessions list shows the second step", async () => {
    const account = await createCampaigner(p.database.db);
    const { secret, step } = await enrol(await signIn(p.url, account));

    const first = await passwordStep(account, "/admin/officials");
    expect(first.res.status).toBe(302);
    expect(first.res.headers.get("location")).toBe("/admin/sign-in/code");
    expect(sessionCookie(first.res)).toBeUndefined();
    expect(first.challenge).toBeDefined();
    expect((await fetch(`${p.url}/admin/sign-in/code`, { headers: { Cookie: first.challenge! } })).status).toBe(200);

    const wrong = await codeStep(first.challenge, codeAt(secret, step + 20));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That code is not right");
    expect(sessionCookie(wrong)).toBeUndefined();
    // The code used to switch it on is spent already.
    expect((await codeStep(first.challenge, codeAt(secret, step))).status).toBe(401);

    const good = nextCode(secret, step);
    const ok = await codeStep(first.challenge, good);
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/admin/officials");
    const cookie = sessionCookie(ok)!;
    expect(cookie).toBeDefined();
    const stored = await p.database.db.selectFrom("campaigner_sessions").select("second_factor").where("campaigner_id", "=", account.id).where("revoked_at", "is", null).execute();
    expect(stored.map((s) => s.second_factor)).toContain("totp");
    expect(await (await fetch(`${p.url}/admin/account`, { headers: { Cookie: cookie } })).text()).toContain("Authenticator code");
    // The pending step is gone once used.
    expect((await codeStep(first.challenge, good)).status).toBe(403);

    const again = await passwordStep(account);
    const replay = await codeStep(again.challenge, good);
    expect(replay.status).toBe(401);
    expect(sessionCookie(replay)).toBeUndefined();
  });

  it("accepts each recovery code once, audits it, and new codes replace the old ones", async () => {
    const account = await createCampaigner(p.database.db);
    const { recovery, secret, step } = await enrol(await signIn(p.url, account));
    const first = await passwordStep(account);
    const ok = await codeStep(first.challenge, recovery[0]!.toUpperCase().replace(/-/g, " "));
    expect(ok.status).toBe(302);
    const session = await sessionFrom(sessionCookie(ok)!);
    expect(await (await session.fetch("/admin/account")).text()).toContain("Recovery code");
    expect(await audit("account.two-factor.recovery-used", account.id)).toEqual([expect.objectContaining({ campaigner_id: account.id, details: { left: 9 } })]);

    const again = await passwordStep(account);
    expect((await codeStep(again.challenge, recovery[0]!)).status).toBe(401);

    const renewed = await session.post("/admin/two-factor", { intent: "recovery-codes", code: nextCode(secret, step) });
    expect(renewed.status).toBe(200);
    const fresh = [...(await renewed.text()).matchAll(/<li><code>([a-z2-7-]{19})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    expect(await audit("account.two-factor.recovery-codes", account.id)).toHaveLength(1);
    expect((await codeStep(again.challenge, recovery[1]!)).status).toBe(401);
    const withNew = await codeStep(again.challenge, fresh[0]!);
    expect(withNew.status).toBe(302);
  });

  it("refuses the second step without the first, with a forged pending cookie, and from another site", async () => {
    const none = await codeStep(undefined, "123456");
    expect(none.status).toBe(403);
    expect(await none.text()).toContain("Sign in with your password first");
    expect(sessionCookie(none)).toBeUndefined();
    expect((await codeStep("inkwell_sign_in=" + "A".repeat(43), "123456")).status).toBe(403);
    const page = await fetch(`${p.url}/admin/sign-in/code`, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/admin/sign-in");

    const account = await createCampaigner(p.database.db);
    const { secret, step } = await enrol(await signIn(p.url, account));
    const first = await passwordStep(account);
    const crossSite = await codeStep(first.challenge, nextCode(secret, step), { Origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(sessionCookie(crossSite)).toBeUndefined();
    // Nothing odd in the form gets past a 4xx.
    expect((await codeStep(first.challenge, "9".repeat(500))).status).toBe(400);
    expect((await codeStep(first.challenge, nextCode(secret, step))).status).toBe(302);
  });

  it("limits wrong codes: five per pending step, then ten per account in a quarter of an hour", async () => {
    const account = await createCampaigner(p.database.db);
    const { secret, step } = await enrol(await signIn(p.url, account));
    const wrongCode = () => codeAt(secret, Math.floor(Date.now() / PERIOD_MS) + 40);
    const first = await passwordStep(account);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await codeStep(first.challenge, wrongCode())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 403]);
    // The pending step is used up: even the right code now needs the password again.
    expect((await codeStep(first.challenge, nextCode(secret, step))).status).toBe(403);

    const second = await passwordStep(account);
    for (let i = 0; i < 5; i++) await codeStep(second.challenge, wrongCode());
    const third = await passwordStep(account);
    const locked = await codeStep(third.challenge, nextCode(secret, step));
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("Too many wrong codes");
    expect(sessionCookie(locked)).toBeUndefined();
  }, 120_000);

  it("turns off only with a current code, and audits it", async () => {
    const account = await createCampaigner(p.database.db);
    const session = await signIn(p.url, account);
    const { recovery, secret, step } = await enrol(session);
    const refused = await session.post("/admin/two-factor", { intent: "disable", code: codeAt(secret, step + 30) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("That code is not right");
    const missing = await session.post("/admin/two-factor", { intent: "disable" });
    expect(missing.status).toBe(400);
    expect((await session.post("/admin/two-factor", { intent: "nonsense", code: "123456" })).status).toBe(400);
    expect(await p.database.db.selectFrom("campaigner_two_factor").select("enabled_at").where("campaigner_id", "=", account.id).executeTakeFirst()).toBeDefined();

    const off = await session.post("/admin/two-factor", { intent: "disable", code: recovery[3]! });
    expect(off.status).toBe(200);
    expect(await audit("account.two-factor.disable", account.id)).toHaveLength(1);
    const { res } = await passwordStep(account);
    expect(res.headers.get("location")).toBe("/admin");
    expect(sessionCookie(res)).toBeDefined();
  });

  it("refuses set-up and changes without the session's anti-forgery token or from another site", async () => {
    const account = await createCampaigner(p.database.db);
    const session = await signIn(p.url, account);
    const forged = await session.fetch("/admin/two-factor", post({ csrf: "forged", intent: "enable", code: "123456" }));
    expect(forged.status).toBe(403);
    const crossSite = await session.fetch("/admin/two-factor", post({ csrf: session.csrf, intent: "enable", code: "123456" }, { Origin: "https://evil.example" }));
    expect(crossSite.status).toBe(403);
    const anonymous = await fetch(`${p.url}/admin/two-factor`, { redirect: "manual" });
    expect(anonymous.headers.get("location")).toBe(`/admin/sign-in?next=${encodeURIComponent("/admin/two-factor")}`);
  });
});

describe("admins and two-step sign-in", () => {
  it("requires it for everyone: a campaigner without it is sent to set it up and can do nothing else until then", async () => {
    const db = p.database.db;
    const admin = await createCampaigner(db, { role: "admin", tag: "admin" });
    const adminSession = await signIn(p.url, admin);
    const campaigner = await createCampaigner(db);
    const before = await signIn(p.url, campaigner);

    expect((await adminSession.post("/admin/security", { intent: "require", required: "maybe" })).status).toBe(400);
    const on = await adminSession.post("/admin/security", { intent: "require", required: "on" });
    expect(on.status).toBe(302);
    expect(await audit_(db, "settings.two-factor-required")).toEqual([expect.objectContaining({ campaigner_id: admin.id, details: { required: true } })]);

    try {
      // Existing sessions and new sign-ins alike are held at the set-up page.
      for (const s of [before, await sessionFrom(sessionCookie((await passwordStep(campaigner)).res)!)]) {
        for (const path of ["/admin", "/admin/account", "/admin/officials", "/admin/campaigns/new"]) {
          const res = await s.fetch(path);
          expect(res.status, path).toBe(302);
          expect(res.headers.get("location"), path).toBe("/admin/two-factor");
        }
        const write = await s.post("/admin/account", { intent: "password", current: campaigner.password, password: "another long password", confirm: "another long password" });
        expect(write.status).toBe(302);
        expect(write.headers.get("location")).toBe("/admin/two-factor");
        expect((await s.fetch("/admin/two-factor")).status).toBe(200);
      }
      expect(await (await before.fetch("/admin/two-factor")).text()).toContain("Your organisation requires two-step sign-in");
      // The admin who asked for it is held too, queue dashboard included, until they set it up.
      const queues = await adminSession.fetch("/admin/queues");
      expect(queues.status).toBe(302);
      expect(queues.headers.get("location")).toBe("/admin/two-factor");
      await enrol(adminSession);
      expect((await adminSession.fetch("/admin/queues")).status).toBe(200);

      const fresh = await sessionFrom(sessionCookie((await passwordStep(campaigner)).res)!);
      await enrol(fresh);
      expect((await fresh.fetch("/admin")).status).toBe(200);
    } finally {
      await db.updateTable("security_settings").set({ two_factor_required: false }).execute();
    }
  }, 120_000);

  it("resets a campaigner's two-step sign-in (audited, their sessions end) but never the admin's own", async () => {
    const db = p.database.db;
    const admin = await createCampaigner(db, { role: "admin", tag: "admin" });
    const adminSession = await signIn(p.url, admin);
    const campaigner = await createCampaigner(db);
    const session = await signIn(p.url, campaigner);
    await enrol(session);
    await enrol(adminSession);

    const page = await (await adminSession.fetch("/admin/security")).text();
    expect(page).toContain(campaigner.email);
    expect(page).toContain("On since");
    const self = await adminSession.post("/admin/security", { intent: "reset", campaigner: String(admin.id) });
    expect(self.status).toBe(400);
    expect((await adminSession.post("/admin/security", { intent: "reset", campaigner: "abc" })).status).toBe(400);
    expect((await adminSession.post("/admin/security", { intent: "reset", campaigner: "99999999" })).status).toBe(404);
    // A campaigner who is not an admin sees no such page.
    expect((await session.post("/admin/security", { intent: "reset", campaigner: String(admin.id) })).status).toBe(404);

    const reset = await adminSession.post("/admin/security", { intent: "reset", campaigner: String(campaigner.id) });
    expect(reset.status).toBe(302);
    expect(await audit("campaigner.two-factor.reset", campaigner.id)).toEqual([expect.objectContaining({ campaigner_id: admin.id })]);
    expect(await db.selectFrom("two_factor_recovery_codes").select("code_hash").where("campaigner_id", "=", campaigner.id).execute()).toEqual([]);
    expect((await session.fetch("/admin")).status).toBe(302);
    const { res } = await passwordStep(campaigner);
    expect(res.headers.get("location")).toBe("/admin");
    expect(sessionCookie(res)).toBeDefined();
  }, 120_000);
});

const audit_ = (db: TestPlatform["database"]["db"], action: string) => db.selectFrom("audit_log").select(["campaigner_id", "details"]).where("action", "=", action).execute();
