import { db } from "#db/client";
import { disableOwnTwoFactor, enableTwoFactor, replaceRecoveryCodes } from "#db/queries/two-factor";
import { checkPendingCode, checkSecondFactor, newRecoveryCodes, type CodeCheck } from "./two-factor.server";

export type AccountChange = { ok: true; recoveryCodes?: string[] } | { ok: false; problem: "wrong" | "too-many" | "already" };

/** Confirms set-up with the first code: on success two-step sign-in is on and these recovery codes are shown once. */
export async function confirmTwoFactor(campaignerId: number, code: string, sessionId: Buffer): Promise<AccountChange> {
  const step = await checkPendingCode(campaignerId, code);
  if (step === null) return { ok: false, problem: "wrong" };
  const { codes, hashes } = newRecoveryCodes();
  const done = await db().transaction().execute((trx) => enableTwoFactor(trx, campaignerId, step, hashes, sessionId));
  return done ? { ok: true, recoveryCodes: codes } : { ok: false, problem: "already" };
}

const refused = (check: CodeCheck): AccountChange | null => (check === "totp" || check === "recovery" ? null : { ok: false, problem: check === "too-many" ? "too-many" : "wrong" });

/** Replaces the recovery codes after a current code; the new ones are shown once. */
export async function regenerateRecoveryCodes(campaignerId: number, code: string): Promise<AccountChange> {
  const problem = refused(await checkSecondFactor(campaignerId, code));
  if (problem) return problem;
  const { codes, hashes } = newRecoveryCodes();
  await db().transaction().execute((trx) => replaceRecoveryCodes(trx, campaignerId, hashes));
  return { ok: true, recoveryCodes: codes };
}

/** Turns the campaigner's own two-step sign-in off after a current code. */
export async function turnOffTwoFactor(campaignerId: number, code: string): Promise<AccountChange> {
  const problem = refused(await checkSecondFactor(campaignerId, code));
  if (problem) return problem;
  const done = await db().transaction().execute((trx) => disableOwnTwoFactor(trx, campaignerId));
  return done ? { ok: true } : { ok: false, problem: "already" };
}
