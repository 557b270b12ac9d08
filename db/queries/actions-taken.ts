import type { Executor } from "../client";

/**
 * The actions of a signature's campaign that its supporter has taken (signed or written, pending
 * or confirmed), the signature's own included.
 */
export async function actionsTakenWith(db: Executor, signatureId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("signatures as mine")
    .innerJoin("actions as a", "a.id", "mine.action_id")
    .innerJoin("actions as other", "other.campaign_id", "a.campaign_id")
    .innerJoin("signatures as s", (join) => join.onRef("s.action_id", "=", "other.id").onRef("s.supporter_id", "=", "mine.supporter_id"))
    .select("other.id")
    .distinct()
    .where("mine.id", "=", signatureId)
    .where("s.status", "in", ["pending", "confirmed"])
    .execute();
  return rows.map((r) => r.id);
}
