import { sql } from "kysely";
import type { Executor } from "../client";

export interface LetterTarget {
  id: number;
  name: string;
  title: string;
  organisation: string;
  language: string;
}

export interface LetterTemplate {
  language: string;
  subject: string;
  body: string;
  /** The campaign's and action's titles in this language, for their placeholders. */
  campaignTitle: string;
  actionTitle: string;
}

export interface LetterActionView {
  editable: boolean;
  targets: LetterTarget[];
  /** The template in the officials' language, which the supporter sends. */
  template: LetterTemplate | undefined;
  /** The same template in the supporter's language, as a reading aid, when it differs. */
  translation: LetterTemplate | undefined;
}

/** What the letter form needs: the action's officials and its template in their language. */
export async function letterActionView(db: Executor, actionId: number, supporterLanguage: string): Promise<LetterActionView> {
  const [action, targets, templates, campaignTitles] = await Promise.all([
    db.selectFrom("actions").select("letter_editable").where("id", "=", actionId).executeTakeFirstOrThrow(),
    db
      .selectFrom("action_targets as at")
      .innerJoin("targets as t", "t.id", "at.target_id")
      .select(["t.id", "t.name", "t.title", "t.organisation", "t.language"])
      .where("at.action_id", "=", actionId)
      .orderBy("at.position")
      .orderBy("t.id")
      .execute(),
    db
      .selectFrom("action_translations")
      .select(["language", "title", "letter_subject", "letter_body"])
      .where("action_id", "=", actionId)
      .where("letter_subject", "is not", null)
      .where("letter_body", "is not", null)
      .execute(),
    db
      .selectFrom("campaign_translations")
      .select(["language", "title"])
      .where("campaign_id", "=", (eb) => eb.selectFrom("actions").select("campaign_id").where("id", "=", actionId))
      .execute(),
  ]);
  const campaignTitle = (language: string) => (campaignTitles.find((c) => c.language === language) ?? campaignTitles[0])?.title ?? "";
  const all = templates.map((t) => ({
    language: t.language, subject: t.letter_subject!, body: t.letter_body!, campaignTitle: campaignTitle(t.language), actionTitle: t.title,
  }));
  const officialLanguage = targets[0]?.language ?? supporterLanguage;
  const template = all.find((t) => t.language === officialLanguage) ?? all.find((t) => t.language === supporterLanguage) ?? all[0];
  const translation = template && template.language !== supporterLanguage ? all.find((t) => t.language === supporterLanguage) : undefined;
  return { editable: action.letter_editable, targets, template, translation };
}

export interface LetterInput {
  subject: string;
  body: string;
  edited: boolean;
  language: string;
  targetIds: number[];
}

/** Stores a supporter's letter and the officials it goes to (replacing an earlier one). */
export async function recordLetter(trx: Executor, signatureId: number, letter: LetterInput): Promise<void> {
  await trx
    .insertInto("letters")
    .values({ signature_id: signatureId, subject: letter.subject, body: letter.body, edited: letter.edited, language: letter.language })
    .onConflict((oc) =>
      oc.column("signature_id").doUpdateSet({ subject: letter.subject, body: letter.body, edited: letter.edited, language: letter.language }),
    )
    .execute();
  await trx.deleteFrom("letter_recipients").where("signature_id", "=", signatureId).execute();
  await trx
    .insertInto("letter_recipients")
    .values(letter.targetIds.map((target_id) => ({ signature_id: signatureId, target_id })))
    .execute();
}

export interface DeliveredToOfficial {
  actionId: number;
  targetName: string;
  letters: number;
  lastSentAt: Date;
}

/** "N letters delivered to <official>, last on <date>" for each action of a campaign. */
export async function deliveredSummary(db: Executor, campaignId: number): Promise<DeliveredToOfficial[]> {
  const rows = await db
    .selectFrom("deliveries as d")
    .innerJoin("actions as a", "a.id", "d.action_id")
    .innerJoin("targets as t", "t.id", "d.target_id")
    .select(["d.action_id", "t.name"])
    .select(sql<number>`sum(d.items)::int8`.as("letters"))
    .select(sql<Date>`max(d.sent_at)`.as("last_sent_at"))
    .where("a.campaign_id", "=", campaignId)
    .where("d.status", "=", "sent")
    .groupBy(["d.action_id", "t.id", "t.name"])
    .orderBy("t.name")
    .execute();
  return rows.map((r) => ({ actionId: r.action_id, targetName: r.name, letters: Number(r.letters), lastSentAt: r.last_sent_at }));
}

export interface SupporterLetter {
  signatureId: number;
  status: string;
  name: string;
  country: string;
  postalCode: string | null;
  signedAt: Date;
  language: string;
  subject: string;
  body: string;
  campaignTitle: string;
  actionTitle: string;
  ask: string;
  targets: { name: string; title: string; organisation: string; postalAddress: string }[];
}

/** One supporter's own letter with the officials it is addressed to, for their printable copy. */
export async function supporterLetter(db: Executor, signatureId: number): Promise<SupporterLetter | undefined> {
  const row = await db
    .selectFrom("letters as l")
    .innerJoin("signatures as s", "s.id", "l.signature_id")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .select(["s.id", "s.status", "s.name", "s.country", "s.postal_code", "s.created_at", "s.confirmed_at", "s.language", "l.subject", "l.body", "l.language as letter_language", "a.id as action_id", "a.campaign_id"])
    .where("l.signature_id", "=", signatureId)
    .where("l.scrubbed_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const [targets, actionTr, campaignTr] = await Promise.all([
    db
      .selectFrom("letter_recipients as r")
      .innerJoin("targets as t", "t.id", "r.target_id")
      .select(["t.name", "t.title", "t.organisation", "t.postal_address"])
      .where("r.signature_id", "=", signatureId)
      .orderBy("t.id")
      .execute(),
    db.selectFrom("action_translations").select(["language", "title", "ask"]).where("action_id", "=", row.action_id).execute(),
    db.selectFrom("campaign_translations").select(["language", "title"]).where("campaign_id", "=", row.campaign_id).execute(),
  ]);
  const pick = <T extends { language: string }>(rows: T[]) => rows.find((r) => r.language === row.letter_language) ?? rows[0];
  return {
    signatureId: row.id, status: row.status, name: row.name, country: row.country, postalCode: row.postal_code,
    signedAt: row.confirmed_at ?? row.created_at, language: row.letter_language, subject: row.subject, body: row.body,
    campaignTitle: pick(campaignTr)?.title ?? "", actionTitle: pick(actionTr)?.title ?? "", ask: pick(actionTr)?.ask ?? "",
    targets: targets.map((t) => ({ name: t.name, title: t.title, organisation: t.organisation, postalAddress: t.postal_address })),
  };
}

/** Whether a signature carries a letter. */
export async function hasLetter(db: Executor, signatureId: number): Promise<boolean> {
  return Boolean(await db.selectFrom("letters").select("signature_id").where("signature_id", "=", signatureId).executeTakeFirst());
}
