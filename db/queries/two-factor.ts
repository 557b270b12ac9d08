import { sql } from "kysely";
import type { Executor } from "../client";
import { recordAudit } from "./audit";
import { revokeSessions } from "./campaigners";

/** How many wrong codes a campaigner may send in a quarter of an hour before codes are refused. */
export const TWO_FACTOR_FAILURE_LIMIT = 10;
const FAILURE_WINDOW_SECONDS = 15 * 60;

/** A campaigner's authenticator row (set up or still being set up), if any. */
export async function twoFactorOf(db: Executor, campaignerId: number) {
  return db
    .selectFrom("campaigner_two_factor")
    .select(["secret_encrypted", "created_at", "enabled_at", "last_step", "failures", "failures_since"])
    .where("campaigner_id", "=", campaignerId)
    .executeTakeFirst();
}

/** Stores a new secret for a campaigner who has not finished setting up; never replaces one in use. */
export async function savePendingSecret(db: Executor, campaignerId: number, encrypted: Buffer): Promise<void> {
  await db
    .insertInto("campaigner_two_factor")
    .values({ campaigner_id: campaignerId, secret_encrypted: encrypted })
    .onConflict((oc) =>
      oc.column("campaigner_id").doUpdateSet({ secret_encrypted: encrypted, created_at: sql`now()`, failures: 0, failures_since: null }).where("campaigner_two_factor.enabled_at", "is", null),
    )
    .execute();
}

/**
 * Switches two-step sign-in on after a first good code: the step is spent, recovery codes are
 * replaced and every other session ends. Call inside a transaction; false if it was already on.
 */
export async function enableTwoFactor(db: Executor, campaignerId: number, step: number, recoveryHashes: Buffer[], keepSession: Buffer): Promise<boolean> {
  const done = await db
    .updateTable("campaigner_two_factor")
    .set({ enabled_at: sql`now()`, last_step: step, failures: 0, failures_since: null })
    .where("campaigner_id", "=", campaignerId)
    .where("enabled_at", "is", null)
    .executeTakeFirst();
  if (!Number(done.numUpdatedRows)) return false;
  await storeRecoveryCodes(db, campaignerId, recoveryHashes);
  await db.updateTable("campaigner_sessions").set({ second_factor: "totp" }).where("id", "=", keepSession).execute();
  await db.updateTable("campaigner_sessions").set({ revoked_at: sql`now()` }).where("campaigner_id", "=", campaignerId).where("id", "<>", keepSession).where("revoked_at", "is", null).execute();
  await recordAudit(db, { campaignerId, action: "account.two-factor.enable", subjectType: "campaigner", subjectId: campaignerId });
  return true;
}

async function storeRecoveryCodes(db: Executor, campaignerId: number, hashes: Buffer[]): Promise<void> {
  await db.deleteFrom("two_factor_recovery_codes").where("campaigner_id", "=", campaignerId).execute();
  await db.insertInto("two_factor_recovery_codes").values(hashes.map((code_hash) => ({ code_hash, campaigner_id: campaignerId }))).execute();
}

/** Replaces a campaigner's recovery codes with new ones; call inside a transaction. */
export async function replaceRecoveryCodes(db: Executor, campaignerId: number, hashes: Buffer[]): Promise<void> {
  await storeRecoveryCodes(db, campaignerId, hashes);
  await recordAudit(db, { campaignerId, action: "account.two-factor.recovery-codes", subjectType: "campaigner", subjectId: campaignerId, details: { codes: hashes.length } });
}

/** How many of a campaigner's recovery codes are still unused. */
export async function unusedRecoveryCodes(db: Executor, campaignerId: number): Promise<number> {
  const row = await db
    .selectFrom("two_factor_recovery_codes")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("campaigner_id", "=", campaignerId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Records an accepted code's time step; false when that step (or a later one) was already used. */
export async function acceptStep(db: Executor, campaignerId: number, step: number): Promise<boolean> {
  const done = await db
    .updateTable("campaigner_two_factor")
    .set({ last_step: step, failures: 0, failures_since: null })
    .where("campaigner_id", "=", campaignerId)
    .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", sql<string>`${step}::bigint`)]))
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** Spends one unused recovery code of the campaigner; false if it is unknown or already used. Call inside a transaction. */
export async function spendRecoveryCode(db: Executor, campaignerId: number, hash: Buffer): Promise<boolean> {
  const done = await db
    .updateTable("two_factor_recovery_codes")
    .set({ used_at: sql`now()` })
    .where("code_hash", "=", hash)
    .where("campaigner_id", "=", campaignerId)
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (!Number(done.numUpdatedRows)) return false;
  await db.updateTable("campaigner_two_factor").set({ failures: 0, failures_since: null }).where("campaigner_id", "=", campaignerId).execute();
  const left = await unusedRecoveryCodes(db, campaignerId);
  await recordAudit(db, { campaignerId, action: "account.two-factor.recovery-used", subjectType: "campaigner", subjectId: campaignerId, details: { left } });
  return true;
}

/** Counts a wrong code in the current window; returns how many wrong codes the window now holds. */
export async function recordWrongCode(db: Executor, campaignerId: number): Promise<number> {
  const fresh = sql<boolean>`failures_since is null or failures_since < now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS})`;
  const row = await db
    .updateTable("campaigner_two_factor")
    .set({
      failures: sql`case when ${fresh} then 1 else failures + 1 end`,
      failures_since: sql`case when ${fresh} then now() else failures_since end`,
    })
    .where("campaigner_id", "=", campaignerId)
    .returning("failures")
    .executeTakeFirst();
  return row?.failures ?? 0;
}

/** Whether the campaigner has sent too many wrong codes lately to try another now. */
export async function tooManyWrongCodes(db: Executor, campaignerId: number): Promise<boolean> {
  const row = await db
    .selectFrom("campaigner_two_factor")
    .select("failures")
    .where("campaigner_id", "=", campaignerId)
    .where("failures_since", ">", sql<Date>`now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS})`)
    .executeTakeFirst();
  return (row?.failures ?? 0) >= TWO_FACTOR_FAILURE_LIMIT;
}

/** Switches two-step sign-in off and drops its secret and recovery codes; call inside a transaction. */
export async function removeTwoFactor(db: Executor, campaignerId: number): Promise<boolean> {
  const done = await db.deleteFrom("campaigner_two_factor").where("campaigner_id", "=", campaignerId).where("enabled_at", "is not", null).executeTakeFirst();
  await db.deleteFrom("two_factor_recovery_codes").where("campaigner_id", "=", campaignerId).execute();
  return Number(done.numDeletedRows) === 1;
}

/** A campaigner turns their own two-step sign-in off (they proved a current code); call inside a transaction. */
export async function disableOwnTwoFactor(db: Executor, campaignerId: number): Promise<boolean> {
  if (!(await removeTwoFactor(db, campaignerId))) return false;
  await recordAudit(db, { campaignerId, action: "account.two-factor.disable", subjectType: "campaigner", subjectId: campaignerId });
  return true;
}

/** An admin clears another campaigner's two-step sign-in and ends their sessions; call inside a transaction. */
export async function resetTwoFactor(db: Executor, adminId: number, campaignerId: number): Promise<boolean> {
  if (!(await removeTwoFactor(db, campaignerId))) return false;
  await revokeSessions(db, { campaignerId });
  await recordAudit(db, { campaignerId: adminId, action: "campaigner.two-factor.reset", subjectType: "campaigner", subjectId: campaignerId });
  return true;
}

/** The site's security settings. */
export async function securitySettings(db: Executor) {
  const row = await db.selectFrom("security_settings").select(["two_factor_required", "updated_at", "updated_by"]).where("id", "=", 1).executeTakeFirst();
  return row ?? { two_factor_required: false, updated_at: null, updated_by: null };
}

/** Requires (or stops requiring) two-step sign-in of every campaigner; call inside a transaction. */
export async function setTwoFactorRequired(db: Executor, adminId: number, required: boolean): Promise<void> {
  await db
    .insertInto("security_settings")
    .values({ two_factor_required: required, updated_by: adminId })
    .onConflict((oc) => oc.column("id").doUpdateSet({ two_factor_required: required, updated_by: adminId, updated_at: sql`now()` }))
    .execute();
  await recordAudit(db, { campaignerId: adminId, action: "settings.two-factor-required", subjectType: "settings", details: { required } });
}

/** Whether the site requires two-step sign-in and this campaigner has not set it up yet. */
export async function mustSetUpTwoFactor(db: Executor, campaignerId: number): Promise<boolean> {
  const row = await db
    .selectFrom("security_settings as s")
    .leftJoin("campaigner_two_factor as t", (join) => join.on("t.campaigner_id", "=", campaignerId).on("t.enabled_at", "is not", null))
    .select(["s.two_factor_required", "t.campaigner_id"])
    .where("s.id", "=", 1)
    .executeTakeFirst();
  return row !== undefined && row.two_factor_required && row.campaigner_id === null;
}

/** Every campaigner with whether two-step sign-in is on and how many recovery codes are left. */
export async function listTwoFactorStatus(db: Executor) {
  return db
    .selectFrom("campaigners as c")
    .leftJoin("campaigner_two_factor as t", "t.campaigner_id", "c.id")
    .select(["c.id", "c.name", "c.email", "c.role", "c.disabled_at", "t.enabled_at"])
    .select((eb) =>
      eb.selectFrom("two_factor_recovery_codes as r").whereRef("r.campaigner_id", "=", "c.id").where("r.used_at", "is", null).select(sql<number>`count(*)::int`.as("n")).as("recovery_left"),
    )
    .orderBy("c.name")
    .orderBy("c.id")
    .execute();
}
