import { z } from "zod";

export const emailsEnvSchema = z.object({
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Set by `npm run demo` (never in production): the embedded SMTP sink and the /dev/mailbox page. */
  DEMO_MODE: z
    .enum(["1", "0", "true", "false", "on", "off", ""], { error: "must be 1 or 0 (set by `npm run demo`)" })
    .default("")
    .transform((v) => v === "1" || v === "true" || v === "on"),
  DEMO_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  MAILBOX_DIR: z.string().min(1).default(".mailbox"),
  MAIL_FROM: z.string().min(3).default("Inkwell <campaigns@inkwell.example>"),
  APP_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default("http://localhost:3000")
    .transform((u) => u.replace(/\/+$/, "")),
  /** Signs unsubscribe links (the web tier reads the same variable for its own keyed hashes). */
  SESSION_SECRET: z.string().min(16, "must be at least 16 characters").default("inkwell-development-secret-change-me"),
  DKIM_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "must be a domain name").optional(),
  DKIM_SELECTOR: z.string().regex(/^[a-z0-9._-]+$/i, "must be a DNS label").optional(),
  DKIM_PRIVATE_KEY: z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional(),
});

const DKIM_VARIABLES = ["DKIM_DOMAIN", "DKIM_SELECTOR", "DKIM_PRIVATE_KEY"] as const;

/** The DKIM variable missing from a partial DKIM configuration, if any: all three or none. */
export function missingDkimVariable(env: Partial<Record<(typeof DKIM_VARIABLES)[number], unknown>>): string | undefined {
  const set = DKIM_VARIABLES.filter((k) => env[k] !== undefined && env[k] !== "");
  return set.length > 0 && set.length < DKIM_VARIABLES.length ? DKIM_VARIABLES.find((k) => !set.includes(k)) : undefined;
}

export type EmailsEnv = z.infer<typeof emailsEnvSchema>;

/** Mail settings from the environment, parsed once. */
export function emailsEnv(): EmailsEnv {
  if (cached) return cached;
  const parsed = emailsEnvSchema.parse(process.env);
  const missing = missingDkimVariable(parsed);
  if (missing) throw new Error(`Invalid environment:\n  ${missing}: must be set when any of ${DKIM_VARIABLES.join(", ")} is set`);
  return (cached = parsed);
}
let cached: EmailsEnv | undefined;

/** The SMTP URL to send through: the configured one, or the embedded demo sink. */
export function smtpUrl(env: EmailsEnv = emailsEnv()): string {
  return env.SMTP_URL ?? `smtp://127.0.0.1:${env.DEMO_SMTP_PORT}`;
}

/** Demo mode, only when asked for (`npm run demo`), and with no SMTP_URL: mail goes to the embedded sink and the mailbox page. */
export function isDemoMode(env: EmailsEnv = emailsEnv()): boolean {
  return env.DEMO_MODE && !env.SMTP_URL;
}

/** nodemailer's DKIM options when signing is configured, else undefined. */
export function dkimOptions(env: EmailsEnv = emailsEnv()) {
  if (!env.DKIM_DOMAIN || !env.DKIM_SELECTOR || !env.DKIM_PRIVATE_KEY) return undefined;
  // A key passed through an env file often has its line breaks escaped.
  return { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR, privateKey: env.DKIM_PRIVATE_KEY.replace(/\\n/g, "\n") };
}
