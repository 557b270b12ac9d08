import { z } from "zod";

export const emailsEnvSchema = z.object({
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DEMO_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  MAILBOX_DIR: z.string().min(1).default(".mailbox"),
  MAIL_FROM: z.string().min(3).default("Inkwell <campaigns@inkwell.example>"),
  APP_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default("http://localhost:3000")
    .transform((u) => u.replace(/\/+$/, "")),
});

export type EmailsEnv = z.infer<typeof emailsEnvSchema>;

/** Mail settings from the environment, parsed once. */
export function emailsEnv(): EmailsEnv {
  return (cached ??= emailsEnvSchema.parse(process.env));
}
let cached: EmailsEnv | undefined;

/** The SMTP URL to send through: the configured one, or the embedded demo sink. */
export function smtpUrl(env: EmailsEnv = emailsEnv()): string {
  return env.SMTP_URL ?? `smtp://127.0.0.1:${env.DEMO_SMTP_PORT}`;
}

/** Demo mode: no SMTP_URL, so mail goes to the embedded sink and the mailbox page. */
export function isDemoMode(env: EmailsEnv = emailsEnv()): boolean {
  return !env.SMTP_URL;
}
