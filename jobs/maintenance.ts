import type { DB } from "#db/client";
import { env as jobsEnv } from "#core/env";
import { foldConfirmations, reconcileCounters } from "#db/queries/counters";
import { dueReminders, expireUnconfirmed, unsentConfirmations, unsentResetRequests, untriedWebhookDeliveries } from "#db/queries/sweeps";
import { enqueueWebhooks } from "#services/webhook-events";
import { sendConfirmationJob, sendPasswordResetJob, sendStaffAlertJob } from "./definitions";
import { log } from "#core/logger";
import { enqueueMany } from "./queues";

/** Folds every waiting confirmation into the counters, batch by batch. */
export async function foldCounters(db: DB): Promise<number> {
  let total = 0;
  const alerts: number[] = [];
  for (;;) {
    const folded = await foldConfirmations(db, 20_000, alerts);
    total += folded;
    if (folded < 20_000) break;
  }
  if (total > 0) log.info("counters folded", { signatures: total });
  // A goal reached is already recorded; the alerts sweeper sends it if this cannot be queued now.
  await enqueueMany(sendStaffAlertJob, alerts.map((alertId) => ({ alertId }))).catch((err: Error) => log.warn("goal alerts not queued", { err: err.message }));
  return total;
}

/** Corrects counter drift from the signatures themselves. */
export async function reconcile(db: DB): Promise<number> {
  const corrected = await reconcileCounters(db);
  if (corrected > 0) log.warn("counters reconciled", { actions: corrected });
  return corrected;
}

/**
 * Enqueues confirmations that never reached Redis, the one reminder a day later, and expires
 * signatures left unconfirmed for a week. Enqueueing is idempotent, so overlap is harmless.
 */
export async function sweepSignatures(db: DB, graceMs = jobsEnv().SWEEP_GRACE_MS) {
  const unsent = await unsentConfirmations(db, graceMs);
  const reminders = await dueReminders(db);
  const expired = await expireUnconfirmed(db);
  await enqueueMany(sendConfirmationJob, [...unsent, ...reminders]);
  if (unsent.length || reminders.length || expired) {
    log.info("signatures swept", { requeued: unsent.length, reminders: reminders.length, expired });
  }
  return { requeued: unsent.length, reminders: reminders.length, expired };
}

/**
 * The other rows written before their job: password-reset requests and webhook deliveries whose
 * job was lost because Redis was down when they were recorded. Enqueueing uses the same fixed job
 * ids as the first attempt, so a job still waiting is not doubled.
 */
export async function sweepOutbox(db: DB, graceMs = jobsEnv().SWEEP_GRACE_MS) {
  const resets = await unsentResetRequests(db, graceMs);
  const webhooks = await untriedWebhookDeliveries(db, graceMs);
  await enqueueMany(sendPasswordResetJob, resets.map((requestId) => ({ requestId })));
  await enqueueWebhooks(webhooks);
  if (resets.length || webhooks.length) log.info("outbox swept", { resets: resets.length, webhooks: webhooks.length });
  return { resets: resets.length, webhooks: webhooks.length };
}
