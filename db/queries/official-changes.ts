import { sql } from "kysely";
import type { Executor } from "../client";
import { recordAudit } from "./audit";
import type { SessionCampaigner } from "./campaigners";
import { canEditOfficial, type OfficialFields } from "./officials";

const FIELDS = ["name", "title", "organisation", "country", "email", "postal_address", "language", "time_zone", "gender"] as const satisfies readonly (keyof OfficialFields)[];

export type OfficialChanges = Partial<Record<keyof OfficialFields, { from: string | null; to: string | null }>>;

/** The fields that differ between an official as stored and as submitted, each with its old and new value. */
export function officialChanges(before: OfficialFields, after: OfficialFields): OfficialChanges {
  const changed: OfficialChanges = {};
  for (const f of FIELDS) if (Object.hasOwn(after, f) && (before[f] ?? null) !== (after[f] ?? null)) changed[f] = { from: before[f] ?? null, to: after[f] ?? null };
  return changed;
}

/** The campaigns whose calls to action write to an official. */
export async function campaignsWritingTo(db: Executor, targetId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("action_targets as at")
    .innerJoin("actions as a", "a.id", "at.action_id")
    .select("a.campaign_id")
    .distinct()
    .where("at.target_id", "=", targetId)
    .orderBy("a.campaign_id")
    .execute();
  return rows.map((r) => r.campaign_id);
}

/**
 * Saves an official and records what changed in the history of every campaign that writes to them
 * (once without a campaign when none does). Call inside a transaction, after `canEditOfficial`.
 */
export async function saveOfficialChanges(db: Executor, campaignerId: number, id: number, f: OfficialFields, via: "edit" | "import"): Promise<OfficialChanges> {
  const before = await db.selectFrom("targets").select(FIELDS).where("id", "=", id).forUpdate().executeTakeFirst();
  const changed = before ? officialChanges(before, f) : {};
  await db.updateTable("targets").set(f).where("id", "=", id).execute();
  if (via === "import" && Object.keys(changed).length === 0) return changed;
  const campaigns = await campaignsWritingTo(db, id);
  for (const campaignId of campaigns.length ? campaigns : [null]) {
    await recordAudit(db, { campaignerId, campaignId, action: "official.update", subjectType: "official", subjectId: id, details: { name: f.name, via, changed } });
  }
  return changed;
}

export type ImportOutcome = { outcome: "imported" | "updated" } | { outcome: "refused"; reason: string };

/**
 * Imports officials under the same rule as editing one: a row whose email matches an official in
 * the directory updates them only when `campaigner` may edit that official, otherwise the row is
 * refused with the reason; any other row adds an official. Returns each row's outcome, in order.
 * Call inside a transaction.
 */
export async function importOfficials(db: Executor, campaigner: SessionCampaigner, rows: OfficialFields[]): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const f of rows) {
    const existing = f.email
      ? await db.selectFrom("targets").select("id").where(sql`lower(email)`, "=", f.email.toLowerCase()).orderBy("id").limit(1).executeTakeFirst()
      : undefined;
    if (existing && !(await canEditOfficial(db, campaigner, existing.id))) {
      outcomes.push({ outcome: "refused", reason: "this official receives letters from campaigns you do not work on; ask an admin to change them" });
    } else if (existing) {
      await saveOfficialChanges(db, campaigner.id, existing.id, f, "import");
      outcomes.push({ outcome: "updated" });
    } else {
      const { id } = await db.insertInto("targets").values(f).returning("id").executeTakeFirstOrThrow();
      await recordAudit(db, { campaignerId: campaigner.id, action: "official.create", subjectType: "official", subjectId: id, details: { name: f.name, via: "import" } });
      outcomes.push({ outcome: "imported" });
    }
  }
  const count = (o: ImportOutcome["outcome"]) => outcomes.filter((x) => x.outcome === o).length;
  const refused = count("refused");
  await recordAudit(db, {
    campaignerId: campaigner.id, action: "official.import", subjectType: "official",
    details: { imported: count("imported"), updated: count("updated"), ...(refused ? { refused } : {}) },
  });
  return outcomes;
}
