import { db } from "#db/client";
import { hasSignatures, isActionSlugTaken, missingTargets, type ActionFields } from "#db/queries/workspace-actions";
import { actionLanguages, type ActionInput } from "../forms/workspace-action";

/** The action fields a validated form describes. */
export function actionFields(input: ActionInput): ActionFields {
  return {
    kind: input.kind, slug: input.slug, goal: input.goal, letterEditable: input.letterEditable, targetIds: input.targetIds,
    deliveryMode: input.deliveryMode, deliveryEveryHours: input.deliveryEveryHours, deliveryLocalHour: input.deliveryLocalHour,
    deliveryThreshold: input.deliveryThreshold, translations: actionLanguages(input),
  };
}

/** Field errors only the database can tell: a taken slug, a vanished official, a kind change after signatures, no words in the default language. */
export async function actionProblems(campaignId: number, defaultLanguage: string, f: ActionFields, existing?: { id: number; kind: string }) {
  const errors: Record<string, string> = {};
  if (await isActionSlugTaken(db(), campaignId, f.slug, existing?.id)) errors.slug = "Another call to action of this campaign already uses this address.";
  if ((await missingTargets(db(), f.targetIds)).length) errors.targetIds = "One of the chosen officials is no longer in the directory. Reload and choose again.";
  if (existing && existing.kind !== f.kind && (await hasSignatures(db(), existing.id))) errors.kind = "Supporters have already acted on this; its kind cannot change.";
  if (!f.translations.some((t) => t.language === defaultLanguage)) errors[`title_${defaultLanguage}`] = "Enter a title in the campaign's default language.";
  return errors;
}
