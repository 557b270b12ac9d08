import { z } from "zod";
import { defineJob } from "./queues";

const id = z.number().int().positive();

/** Sends confirmation email number `seq` for a pending signature. */
export const sendConfirmationJob = defineJob({
  name: "send-confirmation",
  queue: "mail",
  schema: z.object({ signatureId: id, seq: z.number().int().min(1).max(3) }).strict(),
  jobId: (p) => `confirm-${p.signatureId}-${p.seq}`,
});

/** Folds confirmed signatures into per-action counters. */
export const foldCountersJob = defineJob({
  name: "fold-counters",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** Recomputes counters from the signatures, correcting drift. */
export const reconcileCountersJob = defineJob({
  name: "reconcile-counters",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** Re-enqueues confirmations, reset links and webhooks that never reached Redis, sends reminders, expires old signatures. */
export const sweepSignaturesJob = defineJob({
  name: "sweep-signatures",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** Assembles new batches for an action's officials (all, or those in one time zone) and queues them. */
export const deliverActionJob = defineJob({
  name: "deliver-action",
  queue: "delivery",
  schema: z
    .object({
      actionId: id,
      timeZone: z.string().regex(/^[A-Za-z0-9_+/-]{1,64}$/).optional(),
      trigger: z.enum(["schedule", "threshold", "manual"]).optional(),
    })
    .strict(),
});

/** Sends one batch (all its unsent parts) to its official. */
export const sendBatchJob = defineJob({
  name: "send-batch",
  queue: "delivery",
  schema: z.object({ deliveryId: id }).strict(),
  jobId: (p) => `batch-${p.deliveryId}`,
  options: { attempts: 10, backoff: { type: "exponential", delay: 10_000 }, removeOnComplete: true },
});

/** Every minute: keeps delivery schedules in step, fires threshold deliveries, re-queues stuck batches. */
export const deliveryTickJob = defineJob({
  name: "delivery-tick",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** Pages an update's audience into its ledger and queues one send per recipient. `at` keys a scheduled run. */
export const fanOutUpdateJob = defineJob({
  name: "fan-out-update",
  queue: "updates",
  schema: z.object({ updateId: id, at: z.number().int().nonnegative().optional() }).strict(),
  jobId: (p) => `fanout-${p.updateId}-${p.at ?? 0}`,
  options: { attempts: 10, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: true },
});

/** Sends one update to one supporter, if their ledger row is still queued. */
export const sendUpdateJob = defineJob({
  name: "send-update",
  queue: "updates",
  schema: z.object({ updateId: id, supporterId: id }).strict(),
  jobId: (p) => `update-${p.updateId}-${p.supporterId}`,
  options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: true },
});

/** Every half minute: starts due scheduled updates and resumes fan-outs a crashed worker left. */
export const updatesTickJob = defineJob({
  name: "updates-tick",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** After a batch reached its official: queues a delivery notice for each of its supporters who opted in. */
export const noticeDeliveriesJob = defineJob({
  name: "notice-deliveries",
  queue: "updates",
  schema: z.object({ deliveryId: id }).strict(),
  jobId: (p) => `notices-${p.deliveryId}`,
  options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: true },
});

/** Sends a supporter's delivery notice for one day (every delivery not yet reported). */
export const sendDeliveryNoticeJob = defineJob({
  name: "send-delivery-notice",
  queue: "updates",
  schema: z.object({ supporterId: id, day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
  jobId: (p) => `notice-${p.supporterId}-${p.day}`,
  options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: true },
});

/** Emails a supporter the link to download or erase their data. */
export const sendPrivacyLinkJob = defineJob({
  name: "send-privacy-link",
  queue: "mail",
  schema: z.object({ requestId: id }).strict(),
  jobId: (p) => `privacy-${p.requestId}`,
});

/** Hourly: records which IP fingerprints and email domains are trending on each action. */
export const trendingReportJob = defineJob({
  name: "trending-report",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** Hourly: anonymises data past its retention period and scrubs delivered letters. */
export const retentionJob = defineJob({
  name: "retention",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** Emails a campaigner a link to choose a new password. */
export const sendPasswordResetJob = defineJob({
  name: "send-password-reset",
  queue: "mail",
  schema: z.object({ requestId: id }).strict(),
  jobId: (p) => `reset-${p.requestId}`,
});

/** Sends one webhook delivery to its endpoint, signed; `round` tells a replay from the first send. */
export const sendWebhookJob = defineJob({
  name: "send-webhook",
  queue: "delivery",
  schema: z.object({ deliveryId: id, round: z.number().int().nonnegative() }).strict(),
  jobId: (p) => `webhook-${p.deliveryId}-${p.round}`,
  options: { removeOnComplete: true },
});

/** Emails one staff alert (already recorded in Postgres) to whoever wanted it at once and has not had it. */
export const sendStaffAlertJob = defineJob({
  name: "send-staff-alert",
  queue: "mail",
  schema: z.object({ alertId: id }).strict(),
  jobId: (p) => `alert-${p.alertId}`,
  options: { attempts: 8, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: true },
});

/** Every half minute: queues staff alerts recorded while Redis was away. */
export const sweepStaffAlertsJob = defineJob({
  name: "sweep-staff-alerts",
  queue: "maintenance",
  schema: z.object({}).strict(),
});

/** Daily: gathers and sends each campaigner's digest of alerts since the last one. */
export const sendStaffDigestsJob = defineJob({
  name: "send-staff-digests",
  queue: "maintenance",
  schema: z.object({}).strict(),
});
