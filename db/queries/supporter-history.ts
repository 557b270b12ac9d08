import { sql } from "kysely";
import type { Executor } from "../client";

/** One supporter's history in one campaign: signatures, letters and where they went, consents, emails sent. Undefined if they never signed here. */
export async function supporterHistory(db: Executor, campaignId: number, supporterId: number) {
  const supporter = await db
    .selectFrom("supporters")
    .select(["id", "language", "created_at", "erased_at"])
    .select((eb) => eb.case().when("erased_at", "is", null).then(eb.ref("email")).else(null).end().as("email"))
    .where("id", "=", supporterId)
    .executeTakeFirst();
  if (!supporter) return undefined;
  const signatures = await db
    .selectFrom("signatures as s")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .leftJoin("letters as l", "l.signature_id", "s.id")
    .select([
      "s.id", "s.status", "s.name", "s.country", "s.language", "s.updates_opt_in", "s.emails_sent", "s.created_at", "s.confirmed_at",
      "s.invalidated_at", "s.invalidated_reason", "s.held_at", "s.held_reason", "a.slug as action_slug", "a.kind", "l.subject", "l.edited",
    ])
    .where("a.campaign_id", "=", campaignId)
    .where("s.supporter_id", "=", supporterId)
    .orderBy("s.id")
    .execute();
  if (signatures.length === 0) return undefined;
  const ids = signatures.map((s) => s.id);
  const [recipients, consents, updates] = await Promise.all([
    db
      .selectFrom("letter_recipients as r")
      .innerJoin("targets as t", "t.id", "r.target_id")
      .leftJoin("delivery_items as i", (j) => j.onRef("i.signature_id", "=", "r.signature_id").onRef("i.target_id", "=", "r.target_id"))
      .leftJoin("deliveries as d", "d.id", "i.delivery_id")
      .select(["r.signature_id", "t.name as target_name", "d.id as delivery_id", "d.seq", "d.status as delivery_status", "d.sent_at"])
      .where("r.signature_id", "in", ids)
      .execute(),
    db
      .selectFrom("consents")
      .select(["id", "kind", "wording", "language", "source", "given_at", "withdrawn_at", "signature_id"])
      .where("supporter_id", "=", supporterId)
      .where("campaign_id", "=", campaignId)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("update_recipients as r")
      .innerJoin("updates as u", "u.id", "r.update_id")
      .select(["r.status", sql<number>`count(*)::int8`.as("n")])
      .where("r.supporter_id", "=", supporterId)
      .where("u.campaign_id", "=", campaignId)
      .groupBy("r.status")
      .execute(),
  ]);
  const updatesSent = Number(updates.find((u) => u.status === "sent")?.n ?? 0);
  const confirmationEmails = signatures.reduce((sum, s) => sum + s.emails_sent, 0);
  return { supporter, signatures, recipients, consents, emails: { confirmations: confirmationEmails, updates: updatesSent } };
}
