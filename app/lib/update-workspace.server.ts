import { db } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import {
  cancelUpdate, campaignTitleIn, createUpdate, editUpdate, scheduleUpdate, textFor, type UpdateText, type UpdateWithTexts,
} from "#db/queries/updates";
import { env as emailsEnv } from "#core/env";
import { mailDomain, sendMail } from "#emails/mailer";
import { renderUpdate } from "#emails/update";
import { log } from "#core/logger";
import { dropFanOut, queueFanOut } from "#services/updates";
import { bounceAddress } from "#emails/return-path";

interface Who {
  campaignerId: number;
  campaignId: number;
}

const audit = (who: Who, action: string, updateId: number, details: Record<string, unknown> = {}) => ({
  campaignerId: who.campaignerId, campaignId: who.campaignId, action, subjectType: "update", subjectId: updateId, details,
});

/** Saves a new draft; returns its id. */
export async function saveNewDraft(who: Who, texts: UpdateText[]): Promise<number> {
  return db().transaction().execute(async (trx) => {
    const id = await createUpdate(trx, { campaignId: who.campaignId, createdBy: who.campaignerId, texts });
    await recordAudit(trx, audit(who, "update.create", id, { languages: texts.map((t) => t.language) }));
    return id;
  });
}

/** Saves a draft's (or scheduled update's) words; false once it has started. */
export async function saveDraft(who: Who, updateId: number, texts: UpdateText[]): Promise<boolean> {
  return db().transaction().execute(async (trx) => {
    const ok = await editUpdate(trx, updateId, texts);
    if (ok) await recordAudit(trx, audit(who, "update.edit", updateId, { languages: texts.map((t) => t.language) }));
    return ok;
  });
}

/** Saves the words and schedules the update (now, for "send now"), then queues its fan-out. */
export async function scheduleSend(who: Who, updateId: number, texts: UpdateText[], at: Date, now: boolean): Promise<boolean> {
  const ok = await db().transaction().execute(async (trx) => {
    if (!(await editUpdate(trx, updateId, texts)) || !(await scheduleUpdate(trx, updateId, at))) return false;
    await recordAudit(trx, audit(who, now ? "update.send" : "update.schedule", updateId, { at: at.toISOString() }));
    return true;
  });
  // Committed first: if Redis is away, the updates tick starts it once it is due.
  if (ok) await queueFanOut(updateId, at).catch((err: Error) => log.warn("update fan-out not queued", { updateId, err: err.message }));
  return ok;
}

/** Cancels a draft or scheduled update before it starts. */
export async function cancelScheduled(who: Who, update: UpdateWithTexts): Promise<boolean> {
  const ok = await db().transaction().execute(async (trx) => {
    const done = await cancelUpdate(trx, update.id);
    if (done) await recordAudit(trx, audit(who, "update.cancel", update.id));
    return done;
  });
  if (ok && update.scheduled_for) await dropFanOut(update.id, update.scheduled_for);
  return ok;
}

/** The email as a recipient in `language` would get it (the unsubscribe link is a stand-in). */
export async function previewUpdate(campaignId: number, texts: UpdateText[], language: string) {
  const text = textFor(texts, language);
  if (!text) return null;
  return renderUpdate({
    language: text.language, subject: text.subject, bodyMarkdown: text.body,
    campaignTitle: await campaignTitleIn(db(), campaignId, text.language), unsubscribeUrl: `${emailsEnv().APP_URL}/unsubscribe/preview`,
  });
}

/** Sends the update, in each of its languages, to the signed-in campaigner only. */
export async function sendTestToMe(who: Who & { email: string }, updateId: number, texts: UpdateText[]): Promise<void> {
  for (const t of texts) {
    const mail = (await previewUpdate(who.campaignId, [t], t.language))!;
    await sendMail({ to: who.email, ...mail, subject: `[Test] ${mail.subject}`, messageId: `<update-test.${updateId}.${t.language}.${Date.now()}@${mailDomain()}>`, returnPath: bounceAddress("test", updateId) });
  }
  await db().transaction().execute((trx) => recordAudit(trx, audit(who, "update.test", updateId, { languages: texts.map((t) => t.language) })));
}
