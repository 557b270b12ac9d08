import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, type Account } from "../support/campaigner";
import { startTestPlatform, type TestPlatform } from "../support/platform";

const PER_EMAIL_AND_IP = 3;
const PER_EMAIL = 8;
const SITE_PER_MINUTE = 20;

let p: TestPlatform;
beforeAll(async () => {
  Object.assign(process.env, {
    RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: "100",
    RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL_IP_PER_HOUR: String(PER_EMAIL_AND_IP),
    RATE_LIMIT_SIGNIN_PER_EMAIL_PER_HOUR: String(PER_EMAIL),
    RATE_LIMIT_SIGNIN_FAILURES_PER_MINUTE: String(SITE_PER_MINUTE),
  });
  p = await startTestPlatform({ worker: false, limits: true });
});
afterAll(async () => p?.stop());

let ipSerial = 0;
const freshIp = () => `10.77.${Math.floor(++ipSerial / 250)}.${(ipSerial % 250) + 1}`;

function signIn(account: Pick<Account, "email" | "password">, ip: string) {
  return fetch(`${p.url}/admin/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
    body: new URLSearchParams({ email: account.email, password: account.password }),
  });
}

async function attempts(account: Pick<Account, "email" | "password">, ip: () => string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await signIn(account, ip())).status);
  return statuses;
}

describe("workspace sign-in limits", () => {
  it("a stranger's many failures from their IP slow them down and leave the owner able to sign in from theirs", async () => {
    const owner = await createCampaigner(p.database.db, { tag: "owner" });
    const strangerIp = freshIp();
    const guesses = await attempts({ email: owner.email, password: "a guess that is wrong" }, () => strangerIp, 12);
    expect(guesses.filter((s) => s === 401)).toHaveLength(PER_EMAIL_AND_IP);
    expect(guesses.slice(PER_EMAIL_AND_IP).every((s) => s === 429)).toBe(true);
    const ownerIp = freshIp();
    expect((await signIn(owner, ownerIp)).status).toBe(302);
  });

  it("successful sign-ins never count against an address", { timeout: 120_000 }, async () => {
    const owner = await createCampaigner(p.database.db, { tag: "often" });
    const ip = freshIp();
    const statuses = await attempts(owner, () => ip, PER_EMAIL + 3);
    expect(statuses.every((s) => s === 302)).toBe(true);
    // …and a typo after all of them is still answered as a typo, not a lockout.
    expect((await signIn({ email: owner.email, password: "a typo in it" }, ip)).status).toBe(401);
  });

  it("guessing one address from many IPs meets the per-address backstop", async () => {
    const target = await createCampaigner(p.database.db, { tag: "target" });
    const statuses = await attempts({ email: target.email, password: "wrong again" }, freshIp, PER_EMAIL + 5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(PER_EMAIL);
    expect(statuses.slice(PER_EMAIL).every((s) => s === 429)).toBe(true);
  });

  it("spraying many addresses from many IPs meets the site-wide backstop", { timeout: 120_000 }, async () => {
    // All at once: each allowance is taken before the password is checked, so the ones past the limit are refused.
    const sprayed = Array.from({ length: SITE_PER_MINUTE + 6 }, (_, i) => signIn({ email: `nobody.${i}.${process.pid}@inkwell.test`, password: "spray" }, freshIp()));
    const statuses = (await Promise.all(sprayed)).map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(6);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(SITE_PER_MINUTE);
  });
});
