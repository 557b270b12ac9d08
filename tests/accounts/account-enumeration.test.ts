import crypto from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setCampaignerDisabled } from "#db/queries/workspace-campaigners";
import { sendPasswordReset } from "#jobs/send-password-reset";
import { queue } from "#jobs/queues";
import { createCampaigner, signIn } from "../support/campaigner";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";

// No worker: whatever reaches the mail server during a request was sent by the request itself.
let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => p?.stop());

const forgot = (email: string) =>
  fetch(`${p.url}/admin/forgot-password`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url },
    body: new URLSearchParams({ email }),
  });

/** A response with what differs per response by design (CSP nonces, the date, the request id) taken out. */
async function answer(res: Response) {
  const nonces = (s: string) => s.replace(/nonce(=|-)"?[A-Za-z0-9+/=]+"?/g, "nonce");
  const headers = [...res.headers].filter(([k]) => k !== "date" && k !== "x-request-id").map(([k, v]) => `${k}: ${nonces(v)}`);
  return { status: res.status, headers, body: nonces(await res.text()) };
}

/** Counts scrypt derivations anywhere in this process (the web server runs in it) while `run` runs. */
async function scryptCalls(run: () => Promise<void>): Promise<number> {
  const original = crypto.scrypt;
  let calls = 0;
  crypto.scrypt = ((...args: Parameters<typeof original>) => {
    calls += 1;
    return original(...args);
  }) as typeof original;
  syncBuiltinESMExports();
  try {
    await run();
  } finally {
    crypto.scrypt = original;
    syncBuiltinESMExports();
  }
  return calls;
}

async function requestIdFor(campaignerId: number): Promise<number> {
  const row = await p.database.db.selectFrom("password_reset_requests").select("id").where("campaigner_id", "=", campaignerId).orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.id;
}

describe("forgot password", () => {
  it("answers byte for byte the same whether or not the address has an account", async () => {
    const account = await createCampaigner(p.database.db, { tag: "known" });
    const known = await answer(await forgot(account.email));
    const unknown = await answer(await forgot(`nobody.${process.pid}@inkwell.test`));
    expect(known.status).toBe(200);
    expect(known.body).toContain("Check your email");
    expect(unknown).toEqual(known);
  });

  it("does no mail and no password hashing in the request: a queued job of ids sends the link", async () => {
    const account = await createCampaigner(p.database.db, { tag: "queued" });
    const before = p.smtp.attempts();
    const calls = await scryptCalls(async () => {
      expect((await forgot(account.email)).status).toBe(200);
    });
    expect(calls).toBe(0);
    const requestId = await requestIdFor(account.id);
    const job = await queue("mail").getJob(`reset-${requestId}`);
    expect(job?.name).toBe("send-password-reset");
    expect(job?.data).toEqual({ requestId });
    expect(p.smtp.attempts()).toBe(before);

    expect(await sendPasswordReset(p.database.db, { requestId })).toBe("sent");
    expect(await sendPasswordReset(p.database.db, { requestId })).toBe("skipped"); // a retried job sends nothing twice
    const mail = await eventually(async () => p.smtp.to(account.email)[0], 15_000, "the reset email");
    const path = new URL(/https?:\/\/\S+\/admin\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0]).pathname;
    expect((await fetch(`${p.url}${path}`)).status).toBe(200);
  });

  it("a link issued before the account was disabled does not work after it is enabled again, nor does a pending request", async () => {
    const admin = await createCampaigner(p.database.db, { role: "admin", tag: "admin" });
    const account = await createCampaigner(p.database.db, { tag: "disabled" });
    await forgot(account.email);
    const issued = await requestIdFor(account.id);
    await sendPasswordReset(p.database.db, { requestId: issued });
    const mail = await eventually(async () => p.smtp.to(account.email)[0], 15_000, "the reset email");
    const path = new URL(/https?:\/\/\S+\/admin\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0]).pathname;
    await forgot(account.email);
    const pending = await requestIdFor(account.id);
    expect(pending).not.toBe(issued);

    const db = p.database.db;
    await db.transaction().execute((trx) => setCampaignerDisabled(trx, admin.id, account.id, true));
    await db.transaction().execute((trx) => setCampaignerDisabled(trx, admin.id, account.id, false));
    expect((await fetch(`${p.url}${path}`)).status).toBe(404);
    const reset = await fetch(`${p.url}${path}`, {
      method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url },
      body: new URLSearchParams({ password: "a brand new long password", confirm: "a brand new long password" }),
    });
    expect(reset.status).toBe(404);
    expect(await sendPasswordReset(db, { requestId: pending })).toBe("skipped");
    expect(p.smtp.to(account.email)).toHaveLength(1);
  });
});

describe("sharing a campaign", () => {
  it("answers the same whether or not the address has an account", async () => {
    const campaign = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    const owner = await signIn(p.url, await createCampaigner(p.database.db, { campaignIds: [campaign.id], tag: "owner" }));
    const colleague = await createCampaigner(p.database.db, { tag: "colleague" });
    // What the page's script receives as the form's answer.
    const share = async (email: string) => {
      const body = new URLSearchParams({ csrf: owner.csrf, intent: "share", email });
      const res = await owner.fetch(`/admin/campaigns/${campaign.id}/edit?_data=${encodeURIComponent("routes/admin.campaigns.$id.edit")}`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url }, body,
      });
      return { status: res.status, body: (await res.text()).replace(email, "EMAIL") };
    };
    const known = await share(colleague.email);
    const unknown = await share(`nobody.${process.pid}@inkwell.test`);
    const again = await share(colleague.email);
    expect(known.status).toBe(200);
    expect(unknown).toEqual(known);
    expect(again).toEqual(known);
    const member = await p.database.db.selectFrom("campaign_members").select("role").where("campaign_id", "=", campaign.id).where("campaigner_id", "=", colleague.id).executeTakeFirst();
    expect(member?.role).toBe("editor");
  });
});
