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

/** Re-enqueues confirmations that never reached Redis, sends reminders, expires old signatures. */
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
