import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

export const inboundEnvSchema = z.object({
  /** Domain of the return (bounce) and reply addresses; defaults to MAIL_FROM's domain. */
  BOUNCE_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "must be a domain name").optional(),
  /** Port of the inbound SMTP listener the worker runs for bounces, complaints and replies; unset: off. */
  INBOUND_SMTP_PORT: port.optional().or(z.literal("").transform(() => undefined)),
  INBOUND_SMTP_HOST: z.string().min(1).default("0.0.0.0"),
  /** Largest inbound message accepted (bytes); bigger ones are refused during the SMTP dialogue. */
  INBOUND_MAX_BYTES: z.coerce.number().int().min(10_000).max(50 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Largest attachment of an official's reply that is kept. */
  REPLY_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1_000).default(5 * 1024 * 1024),
  /** Soft bounces of one message (or, for supporters, within 30 days) before it counts as failed. */
  SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(20).default(3),
  /** Mailgun's HTTP webhook signing key; unset: the webhook refuses every event. */
  MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(16, "must be at least 16 characters").optional(),
});

export type InboundEnv = z.infer<typeof inboundEnvSchema>;

/** Inbound mail settings from the environment, parsed once. */
export function inboundEnv(): InboundEnv {
  return (cached ??= inboundEnvSchema.parse(process.env));
}
let cached: InboundEnv | undefined;
