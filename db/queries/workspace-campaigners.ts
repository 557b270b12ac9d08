import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "../client";
import { hashPassword } from "#core/passwords";
import type { CampaignerRole } from "../schema";
import { recordAudit } from "./audit";
import { createCampaigner, revokeSessions } from "./campaigners";
import { withdrawPasswordResets } from "./password-resets";

/** Every workspace account with how many campaigns it works on, admins first. */
export async function listCampaigners(db: Executor) {
  return db
    .selectFrom("campaigners as c")
    .select(["c.id", "c.email", "c.name", "c.role", "c.created_at", "c.disabled_at"])
    .select((eb) => eb.selectFrom("campaign_members as m").whereRef("m.campaigner_id", "=", "c.id").select(sql<number>`count(*)::int`.as("n")).as("campaigns"))
    .orderBy(sql`c.role = 'admin'`, "desc")
    .orderBy("c.name")
    .execute();
}

/** Whether an account with this email exists, disabled or not. */
export async function campaignerEmailTaken(db: Executor, email: string): Promise<boolean> {
  return (await db.selectFrom("campaigners").select("id").where("email", "=", email.trim().toLowerCase()).executeTakeFirst()) !== undefined;
}

/**
 * Adds an account on an admin's behalf; call inside a transaction. Without a temporary password
 * it gets an unguessable one, and the admin's page emails a link to choose their own.
 */
export async function addCampaigner(db: Executor, adminId: number, input: { email: string; name: string; role: CampaignerRole; password?: string }) {
  const added = await createCampaigner(db, { ...input, password: input.password ?? randomBytes(32).toString("base64url") });
  await recordAudit(db, { campaignerId: adminId, action: "campaigner.add", subjectType: "campaigner", subjectId: added.id, details: { role: input.role } });
  return added;
}

/** Changes an account's role; call inside a transaction. */
export async function setCampaignerRole(db: Executor, adminId: number, id: number, role: CampaignerRole): Promise<boolean> {
  const done = await db.updateTable("campaigners").set({ role }).where("id", "=", id).executeTakeFirst();
  if (!Number(done.numUpdatedRows)) return false;
  await recordAudit(db, { campaignerId: adminId, action: "campaigner.role", subjectType: "campaigner", subjectId: id, details: { role } });
  return true;
}

/** Disables an account and ends its sessions, or enables it again; call inside a transaction. */
export async function setCampaignerDisabled(db: Executor, adminId: number, id: number, disabled: boolean): Promise<boolean> {
  const done = await db
    .updateTable("campaigners")
    .set({ disabled_at: disabled ? sql`coalesce(disabled_at, now())` : null })
    .where("id", "=", id)
    .executeTakeFirst();
  if (!Number(done.numUpdatedRows)) return false;
  if (disabled) {
    await revokeSessions(db, { campaignerId: id });
    // Links issued before the account was disabled must not work again if it is ever enabled.
    await withdrawPasswordResets(db, id);
  }
  await recordAudit(db, { campaignerId: adminId, action: disabled ? "campaigner.disable" : "campaigner.enable", subjectType: "campaigner", subjectId: id });
  return true;
}

/** The stored password hash of an account. */
export async function passwordHashOf(db: Executor, id: number): Promise<string | undefined> {
  return (await db.selectFrom("campaigners").select("password_hash").where("id", "=", id).executeTakeFirst())?.password_hash;
}

/** Sets a new password and ends every other session of the account; call inside a transaction. */
export async function changePassword(db: Executor, id: number, password: string, keepSession: Buffer): Promise<void> {
  await db.updateTable("campaigners").set({ password_hash: await hashPassword(password) }).where("id", "=", id).execute();
  await db.updateTable("campaigner_sessions").set({ revoked_at: sql`now()` }).where("campaigner_id", "=", id).where("id", "<>", keepSession).where("revoked_at", "is", null).execute();
  await recordAudit(db, { campaignerId: id, action: "account.password", subjectType: "campaigner", subjectId: id });
}

/** Revokes the campaigner's own sessions: one (by id) or every one but the current; returns how many. Call inside a transaction. */
export async function revokeOwnSessions(db: Executor, campaignerId: number, which: { id: Buffer } | { allBut: Buffer }): Promise<number> {
  let q = db.updateTable("campaigner_sessions").set({ revoked_at: sql`now()` }).where("campaigner_id", "=", campaignerId).where("revoked_at", "is", null);
  q = "id" in which ? q.where("id", "=", which.id) : q.where("id", "<>", which.allBut);
  const n = Number((await q.executeTakeFirst()).numUpdatedRows);
  if (n) await recordAudit(db, { campaignerId, action: "account.sessions.revoke", subjectType: "campaigner", subjectId: campaignerId, details: { sessions: n } });
  return n;
}
