import type { DB } from "#db/client";
import { gatherDigests, markAlertEmailed, markDigestSent, takeDigest, takeUnsentRecipient, unsentAlerts, unsentDigests } from "#db/queries/staff-notices";
import { env as alertsEnv } from "#core/env";
import { log } from "#core/logger";
import { mailDomain, sendMail } from "#emails/mailer";
import { bounceAddress } from "#emails/return-path";
import { renderStaffAlert, renderStaffDigest } from "#emails/staff-alert";
import { sendStaffAlertJob } from "./definitions";
import { enqueueMany } from "./queues";

/**
 * Emails an alert to each of its recipients who wanted it at once and has not had it. Each
 * recipient row is locked while its message goes out and marked in the same transaction, so a
 * retried or concurrent job never sends it twice; a crash mid-send leaves it to be sent again,
 * with the same Message-ID.
 */
export async function sendStaffAlert(db: DB, { alertId }: { alertId: number }): Promise<string> {
  let sent = 0;
  let after = 0;
  for (;;) {
    const next = await db.transaction().execute(async (trx) => {
      const r = await takeUnsentRecipient(trx, alertId, after);
      if (!r) return undefined;
      const mail = await renderStaffAlert({ name: r.name, alert: r.notice, appUrl: alertsEnv().APP_URL });
      await sendMail({ to: r.email, ...mail, messageId: `<alert.${alertId}.${r.campaignerId}@${mailDomain()}>`, returnPath: bounceAddress("alert", r.campaignerId) });
      await markAlertEmailed(trx, alertId, r.campaignerId);
      return r.campaignerId;
    });
    if (next === undefined) break;
    after = next;
    sent += 1;
  }
  return sent ? `sent ${sent}` : "nothing to send";
}

/** Every half minute: queues alerts whose job never reached Redis (recorded, not yet emailed). */
export async function sweepStaffAlerts(db: DB): Promise<number> {
  const ids = await unsentAlerts(db, alertsEnv().SWEEP_GRACE_MS);
  await enqueueMany(sendStaffAlertJob, ids.map((alertId) => ({ alertId })));
  if (ids.length) log.info("staff alerts re-queued", { alerts: ids.length });
  return ids.length;
}

/**
 * The daily digest: gathers every digest alert not yet in a digest (each joins exactly one), then
 * sends every digest not yet sent. Nothing waiting, nothing sent.
 */
export async function sendStaffDigests(db: DB): Promise<{ gathered: number; sent: number }> {
  const gathered = await gatherDigests(db);
  let sent = 0;
  for (const id of await unsentDigests(db)) {
    const done = await db.transaction().execute(async (trx) => {
      const d = await takeDigest(trx, id);
      if (!d) return false;
      if (!d.disabled_at && d.notices.length) {
        const mail = await renderStaffDigest({ name: d.name, alerts: d.notices, appUrl: alertsEnv().APP_URL });
        await sendMail({ to: d.email, ...mail, messageId: `<digest.${id}.${d.campaigner_id}@${mailDomain()}>`, returnPath: bounceAddress("alert", d.campaigner_id) });
      }
      await markDigestSent(trx, id);
      return true;
    });
    if (done) sent += 1;
  }
  if (gathered.length || sent) log.info("staff digests", { gathered: gathered.length, sent });
  return { gathered: gathered.length, sent };
}
