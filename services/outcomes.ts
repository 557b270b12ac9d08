import { db as defaultDb, type DB } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import { actionTitleIn, addResult, insertOutcome, removeResult, setOutcomeUpdate } from "#db/queries/outcomes";
import type { OutcomeKind, ResultKind } from "#db/schema";
import { campaignTitleIn, createUpdate, scheduleUpdate } from "#db/queries/updates";
import { env } from "#core/env";
import { log } from "#core/logger";
import { outcomeUpdateText } from "#emails/outcome-update";
import { emitWebhookEvent } from "#db/queries/webhooks";
import { enqueueWebhooks } from "./webhook-events";
import { queueFanOut } from "./updates";

/** The languages an outcome update is written in: every language supporters can use. */
const UPDATE_LANGUAGES = ["en", "fr", "es", "ar"] as const;

export interface OutcomeInput {
  campaignId: number;
  campaignSlug: string;
  /** The call to action it ends, or null for the whole campaign. */
  actionId: number | null;
  outcome: OutcomeKind;
  decidedOn: string;
  summary: string;
}

/**
 * Records how a campaign or one call to action ended and tells it, once: the outcome, an update to
 * the supporters who asked for news (the campaign's, or that call to action's), written in each
 * supporter language, the `outcome.recorded` webhook event and the audit row, in one transaction. A second press finds the outcome
 * recorded and returns null: no second update, no second webhook event.
 */
export async function recordOutcome(campaignerId: number, input: OutcomeInput, database: DB = defaultDb()): Promise<number | null> {
  const now = new Date();
  const recorded = await database.transaction().execute(async (trx) => {
    const outcomeId = await insertOutcome(trx, { ...input, recordedBy: campaignerId });
    if (outcomeId === null) return null;
    const pageUrl = `${env().APP_URL}/campaigns/${input.campaignSlug}`;
    const texts = [];
    for (const language of UPDATE_LANGUAGES) {
      const what = input.actionId === null ? await campaignTitleIn(trx, input.campaignId, language) : await actionTitleIn(trx, input.actionId, language);
      texts.push({ language, ...outcomeUpdateText(language, { outcome: input.outcome, what, decidedOn: input.decidedOn, summary: input.summary, pageUrl }) });
    }
    const updateId = await createUpdate(trx, {
      campaignId: input.campaignId, createdBy: campaignerId, texts, audience: input.actionId === null ? undefined : { actionId: input.actionId },
    });
    await scheduleUpdate(trx, updateId, now);
    await setOutcomeUpdate(trx, outcomeId, updateId);
    await recordAudit(trx, {
      campaignerId, campaignId: input.campaignId, action: "outcome.record", subjectType: "outcome", subjectId: outcomeId,
      details: { outcome: input.outcome, actionId: input.actionId, decidedOn: input.decidedOn, updateId },
    });
    // The event is recorded with the outcome, keyed by it: it exists exactly when the outcome does.
    const hooks = await emitWebhookEvent(trx, input.campaignId, "outcome.recorded", `outcome-${outcomeId}`, {
      outcome_id: outcomeId,
      campaign: input.campaignSlug,
      action_id: input.actionId,
      outcome: input.outcome,
      decided_on: input.decidedOn,
      summary: input.summary,
      recorded_at: now.toISOString(),
    });
    return { outcomeId, updateId, hooks };
  });
  if (!recorded) return null;
  await queueFanOut(recorded.updateId, now).catch((err: Error) => log.warn("update fan-out not queued", { updateId: recorded.updateId, err: err.message }));
  await enqueueWebhooks(recorded.hooks);
  return recorded.outcomeId;
}

export interface ResultInput {
  campaignId: number;
  actionId: number | null;
  kind: ResultKind;
  happenedOn: string;
  who: string;
  what: string;
  link: string | null;
}

/** Records a response or result on the campaign's public timeline, with its audit row. */
export async function recordResult(campaignerId: number, input: ResultInput, database: DB = defaultDb()): Promise<number> {
  return database.transaction().execute(async (trx) => {
    const id = await addResult(trx, { ...input, createdBy: campaignerId });
    await recordAudit(trx, {
      campaignerId, campaignId: input.campaignId, action: "result.add", subjectType: "result", subjectId: id,
      details: { kind: input.kind, actionId: input.actionId, happenedOn: input.happenedOn },
    });
    return id;
  });
}

/** Takes a response or result off the timeline; false when it is not the campaign's. */
export async function withdrawResult(campaignerId: number, campaignId: number, resultId: number, database: DB = defaultDb()): Promise<boolean> {
  return database.transaction().execute(async (trx) => {
    if (!(await removeResult(trx, campaignId, resultId))) return false;
    await recordAudit(trx, { campaignerId, campaignId, action: "result.remove", subjectType: "result", subjectId: resultId });
    return true;
  });
}
