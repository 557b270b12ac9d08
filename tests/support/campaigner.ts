import { hashPassword } from "#core/passwords";
import type { DB } from "#db/client";
import type { CampaignerRole } from "#db/schema";

export interface Account {
  id: number;
  email: string;
  password: string;
}

let serial = 0;
/**
 * Each password's hash, made once per test process at production's scrypt cost. A hash takes about
 * 0.6 s of a core by design, and most accounts of a file share a password; every sign-in still
 * verifies it at full cost.
 */
const hashes = new Map<string, Promise<string>>();
const hashOf = (password: string) => {
  let hash = hashes.get(password);
  if (!hash) hashes.set(password, (hash = hashPassword(password)));
  return hash;
};

/** Adds a workspace account with a fresh address; owner of `campaignIds` if given. */
export async function createCampaigner(
  db: DB,
  options: { role?: CampaignerRole; campaignIds?: number[]; tag?: string; password?: string } = {},
): Promise<Account> {
  serial += 1;
  const email = `c${serial}.${options.tag ?? "campaigner"}.${process.pid}@inkwell.test`;
  const password = options.password ?? "a long enough test password";
  const { id } = await db
    .insertInto("campaigners")
    .values({ email, name: `Campaigner ${serial}`, role: options.role ?? "campaigner", password_hash: await hashOf(password) })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const campaignId of options.campaignIds ?? []) {
    await db.insertInto("campaign_members").values({ campaign_id: campaignId, campaigner_id: id, role: "owner" }).execute();
  }
  return { id, email, password };
}

export interface SignedIn {
  cookie: string;
  csrf: string;
  /** fetch with the session cookie, never following redirects. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A form POST carrying the CSRF token. */
  post(path: string, fields?: Record<string, string | string[]>): Promise<Response>;
}

/** Signs in through the real form and picks the CSRF token off a workspace page. */
export async function signIn(baseUrl: string, account: Pick<Account, "email" | "password">): Promise<SignedIn> {
  const res = await fetch(`${baseUrl}/admin/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
    body: new URLSearchParams({ email: account.email, password: account.password, next: "/admin" }),
  });
  const setCookie = res.headers.get("set-cookie");
  if (res.status !== 302 || !setCookie) throw new Error(`sign-in failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
  const cookie = setCookie.split(";")[0]!;
  const page = await fetch(`${baseUrl}/admin`, { headers: { Cookie: cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on the workspace page");
  const authed = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { redirect: "manual", ...init, headers: { Cookie: cookie, ...(init.headers as Record<string, string>) } });
  return {
    cookie,
    csrf,
    fetch: authed,
    post(path, fields = {}) {
      const body = new URLSearchParams();
      body.append("csrf", csrf);
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      return authed(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl }, body });
    },
  };
}
