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
