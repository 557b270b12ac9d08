import { z } from "zod";

const flag = z.enum(["true", "false", "1", "0", ""]).default("false").transform((v) => v === "true" || v === "1");

export const webhooksEnvSchema = z.object({
  /** Lets webhook endpoints sit on loopback and private addresses, over plain HTTP. Tests only: refused in production. */
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: flag,
  /** Attempts per delivery before it is left failed (a campaigner can replay it). */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** First retry delay; each next one doubles. */
  WEBHOOK_RETRY_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** Failed attempts in a row (across deliveries) that pause an endpoint and alert the campaign's owners. */
  WEBHOOK_PAUSE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(15),
  /** How long one attempt may take, connection to last byte read. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
});

export type WebhooksEnv = z.infer<typeof webhooksEnvSchema>;

/** Webhook settings (read when called: tests set them late). Private addresses are never allowed in production. */
export function webhooksEnv(): WebhooksEnv {
  const parsed = webhooksEnvSchema.parse(process.env);
  // Read from the parsed object: a bundler may fold a literal `process.env.NODE_ENV` at build time.
  const mode = z.object({ NODE_ENV: z.string().optional() }).parse(process.env).NODE_ENV;
  if (parsed.WEBHOOK_ALLOW_PRIVATE_ADDRESSES && mode === "production") {
    throw new Error("Invalid environment: WEBHOOK_ALLOW_PRIVATE_ADDRESSES must not be set in production");
  }
  return parsed;
}
