import { UnrecoverableError, type Job, type Queue } from "bullmq";
import type { DB } from "#db/client";
import { claimNoticeItems, lockNotice, markNotice, owedNotices, supporterGreeting, type NoticeToSend } from "#db/queries/delivery-notices";
import { mayMailUpdates, suppressAddress } from "#db/queries/subscriptions";
import { renderDeliveryNotice } from "#emails/delivery-notice";
import { isPermanentSmtpError, mailDomain, sendMail } from "#emails/mailer";
import { unsubscribeHeaders, unsubscribeUrl } from "#emails/unsubscribe-link";
import { env as jobsEnv } from "#core/env";
import { sendDeliveryNoticeJob } from "./definitions";
import { log } from "#core/logger";
import { queue as producerQueue } from "./queues";
import { bounceAddress } from "#emails/return-path";

function delayFor(n: NoticeToSend): number {
  const wait = jobsEnv().DELIVERY_NOTICE_DELAY_MS;
  if (!n.tomorrow) return wait;
  return Math.max(0, Date.parse(`${n.day}T00:00:00Z`) - Date.now()) + wait;
}

/** After a batch reached its official: owes each of its supporters who opted in a notice, and queues it (grouped per day). */
export async function noticeDeliveries(db: DB, deliveryId: number, q: Queue = producerQueue("updates")): Promise<number> {
  let after = 0;
  let queued = 0;
  for (;;) {
    const page = await db.transaction().execute((trx) => owedNotices(trx, deliveryId, after, 1_000));
    if (page.last === null) break;
    await q.addBulk(page.notices.map((n) => {
      const data = { supporterId: n.supporterId, day: n.day };
      return { name: sendDeliveryNoticeJob.name, data, opts: { ...sendDeliveryNoticeJob.options, jobId: sendDeliveryNoticeJob.jobId!(data), delay: delayFor(n) } };
    }));
    queued += page.notices.length;
    after = page.last;
  }
  if (queued) log.info("delivery notices queued", { deliveryId, supporters: queued });
  return queued;
}

/**
 * Sends a supporter's notice for a day, listing every delivery not yet reported, once: the notice
 * row stays locked while it goes out. Campaigns the supporter left since are left out.
 */
export async function sendDeliveryNotice(db: DB, { supporterId, day }: { supporterId: number; day: string }, job?: Job): Promise<string> {
  const finalAttempt = job ? job.attemptsMade + 1 >= (job.opts.attempts ?? 1) : false;
  const outcome = await db.transaction().execute(async (trx) => {
    const notice = await lockNotice(trx, supporterId, day);
    if (!notice || notice.status !== "queued") return "skipped";
    const items = await claimNoticeItems(trx, supporterId, day);
    const allowed = new Map<number, string>();
    for (const campaignId of new Set(items.map((i) => i.campaignId))) {
      const to = await mayMailUpdates(trx, supporterId, campaignId);
      if (to) allowed.set(campaignId, to.email);
    }
    const delivered = items.filter((i) => allowed.has(i.campaignId));
    const greeting = await supporterGreeting(trx, supporterId);
    if (delivered.length === 0 || !greeting) {
      await markNotice(trx, supporterId, day, "skipped");
      return "skipped";
    }
    const campaignId = delivered[0]!.campaignId;
    const to = allowed.get(campaignId)!;
    const url = unsubscribeUrl(supporterId, campaignId);
    const mail = await renderDeliveryNotice({ language: greeting.language, name: greeting.name, delivered, unsubscribeUrl: url });
    try {
      await sendMail({ to, ...mail, messageId: `<notice.${supporterId}.${day}@${mailDomain()}>`, headers: unsubscribeHeaders(url), returnPath: bounceAddress("notice", `${supporterId}-${day.replace(/-/g, "")}`) });
    } catch (err) {
      const permanent = isPermanentSmtpError(err);
      if (!permanent && !finalAttempt) throw err;
      const code = (err as { responseCode?: number }).responseCode;
      await markNotice(trx, supporterId, day, "failed", permanent ? `SMTP ${code}` : "gave up after retries");
      if (permanent) await suppressAddress(trx, to, "hard_bounce", `delivery notice ${day}`);
      return "failed";
    }
    await markNotice(trx, supporterId, day, "sent");
    return "sent";
  });
  if (outcome === "failed") throw new UnrecoverableError("SMTP refused the delivery notice");
  return outcome;
}
