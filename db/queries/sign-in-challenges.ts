import { sql } from "kysely";
import type { Executor } from "../client";

/** Stores the step between password and code under the hash of its cookie token; drops stale ones. */
export async function createSignInChallenge(db: Executor, idHash: Buffer, campaignerId: number, nextPath: string, ttlSeconds: number): Promise<void> {
  await db.deleteFrom("sign_in_challenges").where("expires_at", "<", sql<Date>`now()`).execute();
  await db
    .insertInto("sign_in_challenges")
    .values({ id: idHash, campaigner_id: campaignerId, next_path: nextPath, expires_at: sql<Date>`now() + make_interval(secs => ${ttlSeconds})` })
    .execute();
}

/** The live challenge for a token hash (unexpired, attempts left, account enabled), without spending an attempt. */
export async function findSignInChallenge(db: Executor, idHash: Buffer, maxAttempts: number) {
  return db
    .selectFrom("sign_in_challenges as ch")
    .innerJoin("campaigners as c", "c.id", "ch.campaigner_id")
    .select(["ch.campaigner_id", "ch.next_path", "ch.attempts"])
    .where("ch.id", "=", idHash)
    .where("ch.expires_at", ">", sql<Date>`now()`)
    .where("ch.attempts", "<", maxAttempts)
    .where("c.disabled_at", "is", null)
    .executeTakeFirst();
}

/** Spends one attempt of a live challenge; undefined when it is gone, expired or out of attempts. */
export async function spendChallengeAttempt(db: Executor, idHash: Buffer, maxAttempts: number) {
  return db
    .updateTable("sign_in_challenges as ch")
    .set({ attempts: sql`ch.attempts + 1` })
    .from("campaigners as c")
    .whereRef("c.id", "=", "ch.campaigner_id")
    .where("ch.id", "=", idHash)
    .where("ch.expires_at", ">", sql<Date>`now()`)
    .where("ch.attempts", "<", maxAttempts)
    .where("c.disabled_at", "is", null)
    .returning(["ch.campaigner_id", "ch.next_path", "ch.attempts"])
    .executeTakeFirst();
}

/** Removes a challenge once it is used up or done with. */
export async function deleteSignInChallenge(db: Executor, idHash: Buffer): Promise<void> {
  await db.deleteFrom("sign_in_challenges").where("id", "=", idHash).execute();
}
