import { sql } from "kysely";
import type { Executor } from "../client";
import type { SessionCampaigner } from "./campaigners";
import { recordAudit } from "./audit";
import { saveOfficialChanges } from "./official-changes";

export interface OfficialFields {
  name: string;
  title: string;
  organisation: string;
  country: string;
  email: string | null;
  postal_address: string;
  language: string;
  time_zone: string;
  /** Left out (import), the stored value stays; null is neutral. */
  gender?: string | null;
}

/** The officials directory, optionally filtered by a search over name, title, organisation and email. */
export async function listOfficials(db: Executor, search = "", limit = 500) {
  let q = db
    .selectFrom("targets")
    .select(["id", "name", "title", "organisation", "country", "email", "language", "time_zone"])
    .select(["email_bounced_at", "email_bounce_reason"])
    .orderBy("name")
    .orderBy("id")
    .limit(limit);
  const term = search.trim();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or(["name", "title", "organisation", "email"].map((c) => eb(sql.ref(c), "ilike", like))));
  }
  return q.execute();
}

/** The directory for a call to action's form: the first officials by name, plus every one it already writes to. */
export async function officialsToChoose(db: Executor, chosen: number[] = []) {
  const listed = await listOfficials(db, "", 500);
  const have = new Set(listed.map((o) => o.id));
  const missing = chosen.filter((id) => !have.has(id));
  if (missing.length === 0) return listed;
  const more = await db
    .selectFrom("targets")
    .select(["id", "name", "title", "organisation", "country", "email", "language", "time_zone"])
    .where("id", "in", missing)
    .execute();
  return [...listed, ...more];
}

/** One official, or undefined. */
export async function getOfficial(db: Executor, id: number) {
  return db.selectFrom("targets").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Whether a campaigner may change an official: admins always; others when every campaign whose
 * calls to action write to the official is one they work on (the directory is shared, the letters are not).
 */
export async function canEditOfficial(db: Executor, campaigner: SessionCampaigner, id: number): Promise<boolean> {
  if (campaigner.role === "admin") return true;
  const foreign = await db
    .selectFrom("action_targets as at")
    .innerJoin("actions as a", "a.id", "at.action_id")
    .select("a.campaign_id")
    .where("at.target_id", "=", id)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("campaign_members as m").select("m.campaign_id").whereRef("m.campaign_id", "=", "a.campaign_id").where("m.campaigner_id", "=", campaigner.id))),
    )
    .limit(1)
    .executeTakeFirst();
  return foreign === undefined;
}

/** Adds an official to the directory; call inside a transaction. */
export async function createOfficial(db: Executor, campaignerId: number, f: OfficialFields): Promise<number> {
  const { id } = await db.insertInto("targets").values(f).returning("id").executeTakeFirstOrThrow();
  await recordAudit(db, { campaignerId, action: "official.create", subjectType: "official", subjectId: id, details: { name: f.name } });
  return id;
}

/** Saves an official, recording what changed in each affected campaign's history; call inside a transaction. */
export async function updateOfficial(db: Executor, campaignerId: number, id: number, f: OfficialFields): Promise<void> {
  await saveOfficialChanges(db, campaignerId, id, f, "edit");
}
