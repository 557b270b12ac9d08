import type { Executor } from "../client";

export interface ConfirmSubject {
  kind: string;
  campaignTitle: string;
  actionTitle: string;
}

/**
 * What a confirmation link confirms: the kind of action, the campaign and the call to action, titled
 * in `language` when they have it, else in the campaign's default language.
 */
export async function confirmSubject(db: Executor, signatureId: number, language: string): Promise<ConfirmSubject | undefined> {
  const row = await db
    .selectFrom("signatures as s")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["a.id as action_id", "a.kind", "c.id as campaign_id", "c.default_language"])
    .where("s.id", "=", signatureId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [actions, campaigns] = await Promise.all([
    db.selectFrom("action_translations").select(["language", "title"]).where("action_id", "=", row.action_id).execute(),
    db.selectFrom("campaign_translations").select(["language", "title"]).where("campaign_id", "=", row.campaign_id).execute(),
  ]);
  const pick = (rows: { language: string; title: string }[]) =>
    (rows.find((r) => r.language === language) ?? rows.find((r) => r.language === row.default_language) ?? rows[0])?.title ?? "";
  return { kind: row.kind, campaignTitle: pick(campaigns), actionTitle: pick(actions) };
}
