import { db } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import { markReplyPublished } from "#db/queries/replies";
import { createUpdate, scheduleUpdate } from "#db/queries/updates";
import { log } from "#core/logger";
import { queueFanOut } from "#services/updates";

/**
 * Publishes an official's reply (or a summary of it) on the campaign page and sends it as an
 * update to the writers of the letters in the batch it answers (those who asked for news), in one transaction: a second attempt
 * (a double click, a resubmitted form) finds the reply already published and sends nothing.
 */
export async function publishReply(
  who: { campaignerId: number; campaignId: number }, replyId: number, input: { subject: string; text: string; language: string; deliveryId: number },
): Promise<number | null> {
  const now = new Date();
  const updateId = await db().transaction().execute(async (trx) => {
    const id = await createUpdate(trx, {
      campaignId: who.campaignId, createdBy: who.campaignerId,
      texts: [{ language: input.language, subject: input.subject, body: input.text }],
      // Only the writers of the letters the official answered, not every subscriber of the campaign.
      audience: { deliveryId: input.deliveryId },
    });
    if (!(await markReplyPublished(trx, replyId, input.text, who.campaignerId, id))) {
      // Already published: the draft above rolls back with this transaction.
      throw new AlreadyPublished();
    }
    await scheduleUpdate(trx, id, now);
    await recordAudit(trx, {
      campaignerId: who.campaignerId, campaignId: who.campaignId, action: "reply.publish", subjectType: "reply", subjectId: replyId, details: { updateId: id },
    });
    return id;
  }).catch((err: unknown) => {
    if (err instanceof AlreadyPublished) return null;
    throw err;
  });
  if (updateId !== null) {
    await queueFanOut(updateId, now).catch((err: Error) => log.warn("update fan-out not queued", { updateId, err: err.message }));
  }
  return updateId;
}

class AlreadyPublished extends Error {}
