import { z } from "zod";

export const jobsEnvSchema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/, "letters, digits, _ - { } only (no colons)")
    .default("inkwell"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /** How long a confirmation may wait for its job before the sweeper assumes it never reached Redis. */
  SWEEP_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /** How long a worker holds a job before others may take it over as stalled (a crashed worker's jobs wait this long). */
  JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Largest email a batch to an official may be; bigger batches are split into numbered parts. */
  DELIVERY_MAX_BYTES: z.coerce.number().int().min(200_000).default(10 * 1024 * 1024),
  /** Updates and delivery notices sent per second across every worker (BullMQ's queue rate limiter). */
  MAIL_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  /** How long after a batch reaches an official its supporters' delivery notice waits, so a day's deliveries go in one email. */
  DELIVERY_NOTICE_DELAY_MS: z.coerce.number().int().min(0).default(15 * 60_000),
});

/** Queue settings from the environment, parsed once. */
export function jobsEnv() {
  return (cached ??= jobsEnvSchema.parse(process.env));
}
let cached: z.infer<typeof jobsEnvSchema> | undefined;
