import { sql } from "kysely";
import type { Executor } from "../client";
import { hashPassword } from "#core/passwords";
import type { CampaignerRole, SecondFactor } from "../schema";

/** How long a session lives without use, and at most. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;

export interface SessionCampaigner {
  id: number;
  email: string;
  name: string;
  role: CampaignerRole;
}

/** Adds a campaigner; the email is stored lower-cased. Throws on a duplicate email. */
export async function createCampaigner(
  db: Executor,
  input: { email: string; name: string; password: string; role?: CampaignerRole },
): Promise<SessionCampaigner> {
  return db
    .insertInto("campaigners")
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      role: input.role ?? "campaigner",
      password_hash: await hashPassword(input.password),
    })
    .returning(["id", "email", "name", "role"])
    .executeTakeFirstOrThrow();
}

/** The campaigner who may sign in with this email (not disabled), with their password hash. */
export async function findCampaignerForSignIn(db: Executor, email: string) {
  return db
    .selectFrom("campaigners")
    .select(["id", "email", "name", "role", "password_hash"])
    .where("email", "=", email.trim().toLowerCase())
    .where("disabled_at", "is", null)
    .executeTakeFirst();
}

/** Stores a session under the hash of its cookie token, with the second factor its sign-in used (if any). */
export async function createSession(db: Executor, campaignerId: number, idHash: Buffer, csrfToken: string, secondFactor: SecondFactor | null = null): Promise<void> {
  await db
    .insertInto("campaigner_sessions")
    .values({ id: idHash, campaigner_id: campaignerId, csrf_token: csrfToken, expires_at: new Date(Date.now() + SESSION_MAX_MS), second_factor: secondFactor })
    .execute();
}

/** The live session for a token hash (not revoked, not expired, used recently) and its campaigner. */
export async function findSession(db: Executor, idHash: Buffer) {
  return db
    .selectFrom("campaigner_sessions as s")
    .innerJoin("campaigners as c", "c.id", "s.campaigner_id")
    .select(["s.csrf_token", "s.last_seen_at", "c.id", "c.email", "c.name", "c.role"])
    .where("s.id", "=", idHash)
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", sql<Date>`now()`)
    .where("s.last_seen_at", ">", sql<Date>`now() - make_interval(secs => ${SESSION_IDLE_MS / 1000})`)
    .where("c.disabled_at", "is", null)
    .executeTakeFirst();
}

/** Marks a session as used now (callers throttle this to once a minute). */
export async function touchSession(db: Executor, idHash: Buffer): Promise<void> {
  await db.updateTable("campaigner_sessions").set({ last_seen_at: sql`now()` }).where("id", "=", idHash).execute();
}

/** Revokes one session, or every session of a campaigner. */
export async function revokeSessions(db: Executor, where: { idHash: Buffer } | { campaignerId: number }): Promise<number> {
  let q = db.updateTable("campaigner_sessions").set({ revoked_at: sql`now()` }).where("revoked_at", "is", null);
  q = "idHash" in where ? q.where("id", "=", where.idHash) : q.where("campaigner_id", "=", where.campaignerId);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A campaigner's live sessions, newest first. */
export async function listSessions(db: Executor, campaignerId: number) {
  return db
    .selectFrom("campaigner_sessions")
    .select(["id", "created_at", "last_seen_at", "expires_at", "second_factor"])
    .where("campaigner_id", "=", campaignerId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .orderBy("last_seen_at", "desc")
    .execute();
}

/** Whether the campaigner may open the campaign: admin, owner or editor. */
export async function canAccessCampaign(db: Executor, campaigner: SessionCampaigner, campaignId: number): Promise<boolean> {
  if (campaigner.role === "admin") {
    const found = await db.selectFrom("campaigns").select("id").where("id", "=", campaignId).executeTakeFirst();
    return found !== undefined;
  }
  const member = await db
    .selectFrom("campaign_members")
    .select("campaign_id")
    .where("campaign_id", "=", campaignId)
    .where("campaigner_id", "=", campaigner.id)
    .executeTakeFirst();
  return member !== undefined;
}

/** The campaigner a reset token belongs to, while it is unused and unexpired. */
export async function findPasswordReset(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom("password_resets as r")
    .innerJoin("campaigners as c", "c.id", "r.campaigner_id")
    .select(["c.id", "c.email"])
    .where("r.token_hash", "=", tokenHash)
    .where("r.used_at", "is", null)
    .where("r.expires_at", ">", sql<Date>`now()`)
    .where("c.disabled_at", "is", null)
    .executeTakeFirst();
}

/**
 * Sets a new password through a reset token: the token is spent, every other reset and every
 * session of the campaigner ends. Returns the campaigner id, or undefined if the token is no longer valid.
 */
export async function resetPassword(db: Executor, tokenHash: Buffer, passwordHash: string): Promise<number | undefined> {
  const spent = await db
    .updateTable("password_resets")
    .set({ used_at: sql`now()` })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .returning("campaigner_id")
    .executeTakeFirst();
  if (!spent) return undefined;
  const id = spent.campaigner_id;
  await db.updateTable("campaigners").set({ password_hash: passwordHash }).where("id", "=", id).execute();
  await db.updateTable("password_resets").set({ used_at: sql`now()` }).where("campaigner_id", "=", id).where("used_at", "is", null).execute();
  await revokeSessions(db, { campaignerId: id });
  return id;
}
