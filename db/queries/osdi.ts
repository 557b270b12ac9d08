import { sql } from "kysely";
import type { Executor } from "../client";
import type { ActionKind } from "../schema";

/** An action as the OSDI API shows it: a petition or an advocacy campaign (letters). */
export interface OsdiActionRow {
  id: number;
  kind: ActionKind;
  slug: string;
  campaign_id: number;
  campaign_slug: string;
  campaign_status: string;
  language: string;
  title: string;
  ask: string;
  letter_subject: string | null;
  letter_body: string | null;
  goal: number;
  count: number;
  created_at: Date;
}

function actionsQuery(db: Executor, campaignIds: number[], kind: ActionKind) {
  return db
    .selectFrom("actions as a")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .leftJoin("action_counters as k", "k.action_id", "a.id")
    .innerJoin("action_translations as t", (j) => j.onRef("t.action_id", "=", "a.id").onRef("t.language", "=", "c.default_language"))
    .select(["a.id", "a.kind", "a.slug", "a.goal", "a.created_at", "a.campaign_id", "c.slug as campaign_slug", "c.status as campaign_status"])
    .select(["t.language", "t.title", "t.ask", "t.letter_subject", "t.letter_body"])
    .select(sql<number>`coalesce(k.confirmed, 0)`.as("count"))
    .where("a.campaign_id", "in", campaignIds.length > 0 ? campaignIds : [-1])
    .where("a.kind", "=", kind)
    .where("c.status", "!=", "archived");
}

/** One page of a key's petitions or letter actions, by id after `after` (keyset). */
export async function listOsdiActions(db: Executor, campaignIds: number[], kind: ActionKind, after: number, limit: number): Promise<OsdiActionRow[]> {
  return actionsQuery(db, campaignIds, kind).where("a.id", ">", after).orderBy("a.id").limit(limit).execute();
}

/** One petition or letter action, when it is in the key's campaigns. */
export async function findOsdiAction(db: Executor, campaignIds: number[], kind: ActionKind, id: number): Promise<OsdiActionRow | undefined> {
  return actionsQuery(db, campaignIds, kind).where("a.id", "=", id).executeTakeFirst();
}

/** The officials a letter action writes to. */
export async function actionTargets(db: Executor, actionIds: number[]) {
  if (actionIds.length === 0) return [];
  return db
    .selectFrom("action_targets as at")
    .innerJoin("targets as t", "t.id", "at.target_id")
    .select(["at.action_id", "t.id", "t.name", "t.title", "t.organisation"])
    .where("at.action_id", "in", actionIds)
    .orderBy("at.position")
    .orderBy("t.id")
    .execute();
}

/** What a confirmed, visible signature carries in the API (and its letter, for letter actions). */
export interface OsdiSignatureRow {
  id: number;
  action_id: number;
  supporter_id: number;
  comment: string | null;
  created_at: Date;
  confirmed_at: Date | null;
  subject: string | null;
  body: string | null;
}

/**
 * Confirmed signatures of one action after `after`, by id. Held, invalidated and anonymised ones
 * and those of erased supporters are left out: the API shows what a delivery would carry.
 */
export async function listOsdiSignatures(db: Executor, actionId: number, after: number, limit: number): Promise<OsdiSignatureRow[]> {
  return db
    .selectFrom("signatures as s")
    .innerJoin("supporters as p", "p.id", "s.supporter_id")
    .leftJoin("letters as l", "l.signature_id", "s.id")
    .select(["s.id", "s.action_id", "s.supporter_id", "s.comment", "s.created_at", "s.confirmed_at", "l.subject", "l.body"])
    .where("s.action_id", "=", actionId)
    .where("s.id", ">", after)
    .where("s.status", "=", "confirmed")
    .where("s.held_at", "is", null)
    .where("s.anonymised_at", "is", null)
    .where("p.erased_at", "is", null)
    .orderBy("s.id")
    .limit(limit)
    .execute();
}

/** Officials each letter was addressed to. */
export async function letterRecipients(db: Executor, signatureIds: number[]) {
  if (signatureIds.length === 0) return [];
  return db
    .selectFrom("letter_recipients as r")
    .innerJoin("targets as t", "t.id", "r.target_id")
    .select(["r.signature_id", "t.id", "t.name", "t.title", "t.organisation"])
    .where("r.signature_id", "in", signatureIds)
    .execute();
}

export interface OsdiPersonRow {
  id: number;
  email: string;
  language: string;
  created_at: Date;
  name: string;
  country: string;
  postal_code: string | null;
  modified_at: Date;
}

/**
 * People with a confirmed, visible signature in `campaignIds`, by supporter id after `after`; the
 * name and address are those of their latest such signature. Erased supporters are never listed.
 */
export async function listOsdiPeople(db: Executor, campaignIds: number[], after: number, limit: number, only?: number): Promise<OsdiPersonRow[]> {
  const campaigns = campaignIds.length > 0 ? campaignIds : [-1];
  const { rows } = await sql<OsdiPersonRow>`
    select p.id, p.email, p.language, p.created_at, s.name, s.country, s.postal_code, s.created_at as modified_at
    from supporters p
    join lateral (
      select s.name, s.country, s.postal_code, s.created_at
      from signatures s join actions a on a.id = s.action_id
      where s.supporter_id = p.id and a.campaign_id in (${sql.join(campaigns)})
        and s.status = 'confirmed' and s.held_at is null and s.anonymised_at is null
      order by s.id desc limit 1
    ) s on true
    where p.erased_at is null and p.id > ${after} ${only === undefined ? sql`` : sql`and p.id = ${only}`}
    order by p.id
    limit ${limit}
  `.execute(db);
  return rows;
}
