import { sql } from "kysely";
import type { Executor } from "../client";
import { SCRUBBED_LETTER, anonymiseSignatures, idsOf } from "./privacy";

/**
 * Retention: anonymises signatures (and their letters) of campaigns closed more than `days` ago,
 * then supporters who have nothing left un-anonymised. Counts stay. Returns how many signatures
 * were anonymised in this batch of at most `limit`.
 */
export async function anonymiseClosedCampaigns(db: Executor, days: number, limit = 5_000): Promise<number> {
  const cutoff = new Date(Date.now() - days * 24 * 3600_000);
  const batch = await db
    .selectFrom("signatures as s")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["s.id", "s.supporter_id"])
    .where("s.anonymised_at", "is", null)
    .where("c.status", "in", ["closed", "archived"])
    .where("c.closed_at", "<", cutoff)
    .orderBy("s.id")
    .limit(limit)
    .execute();
  if (batch.length === 0) return 0;
  const touched = [...new Set(batch.map((r) => r.supporter_id))];
  const n = await anonymiseSignatures(db, idsOf(db).where("id", "in", batch.map((r) => r.id)));
  await db
    .updateTable("consents")
    .set({ ip_hash: null })
    .where("signature_id", "in", batch.map((r) => r.id))
    .execute();
  await db
    .updateTable("supporters")
    .set({ email: sql`'erased-' || id || '@erased.invalid'`, erased_at: sql`now()` })
    .where("id", "in", touched)
    .where("erased_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("signatures as s").select("s.id").whereRef("s.supporter_id", "=", "supporters.id").where("s.anonymised_at", "is", null))),
    )
    .execute();
  return n;
}

/**
 * Retention: replaces the text of letters delivered to every one of their officials more than
 * `days` ago (the officials have it; we no longer need it). Returns how many were scrubbed.
 */
export async function scrubDeliveredLetters(db: Executor, days: number, limit = 5_000): Promise<number> {
  const cutoff = new Date(Date.now() - days * 24 * 3600_000);
  const result = await sql`
    update letters set subject = ${SCRUBBED_LETTER}, body = ${SCRUBBED_LETTER}, scrubbed_at = now()
    where signature_id in (
      select l.signature_id from letters l
      where l.scrubbed_at is null
        and exists (select 1 from letter_recipients r where r.signature_id = l.signature_id)
        and not exists (
          select 1 from letter_recipients r
          where r.signature_id = l.signature_id
            and not exists (
              select 1 from delivery_items i join deliveries d on d.id = i.delivery_id
              where i.signature_id = r.signature_id and i.target_id = r.target_id
                and d.status = 'sent' and d.sent_at < ${cutoff}
            )
        )
      order by l.signature_id limit ${limit}
    )
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
