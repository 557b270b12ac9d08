import { z } from "zod";
import { checkEnvRules } from "./env-rules";
import { trustProxySetting } from "./trust-proxy";

// Every environment variable Inkwell reads, in one schema. Adding a variable is one entry here
// (with its `.describe()`); `npm run docs:config` then regenerates docs/configuration.md, and a
// unit test fails until it has been run.

/** A limit in requests per window; 0 switches that limit off. */
const limit = (fallback: number) => z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 (off) or more").default(fallback);
const days = (fallback: number) => z.coerce.number({ error: "must be a number of days" }).int("must be a whole number of days").min(1, "must be at least 1 day").default(fallback);
/** An empty value counts as unset, as an env file's `NAME=` line means. */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A comma-separated list of host names; a bad entry names itself. */
const imageHostsSchema = z
  .string()
  .optional()
  .transform((v) => (v ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
  .superRefine((hosts, ctx) => {
    for (const h of hosts) {
      if (!HOST_NAME.test(h)) ctx.addIssue({ code: "custom", message: `"${h}" is not a host name: list hosts like images.example.org, separated by commas (no scheme, path or port)` });
    }
  });

const DEVELOPMENT_SECRET = "inkwell-development-secret-change-me";

const shape = {
  // Web
  NODE_ENV: z.enum(["development", "production", "test"]).default("development").describe("development, production or test; production turns on the page cache, secure cookies and one web process per core."),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe("Port the web server listens on (0 picks a free one)."),
  APP_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default("http://localhost:3000")
    .transform((u) => u.replace(/\/+$/, ""))
    .describe("Public address of the site, used in every link an email carries."),
  SESSION_SECRET: z.string().min(16, "must be at least 16 characters").default(DEVELOPMENT_SECRET).describe("Signs sessions and unsubscribe links and keys IP fingerprints; must be set in production."),
  HOST: z.union([z.ipv4(), z.ipv6()], { error: "must be an IP address such as 127.0.0.1 or 0.0.0.0" }).optional().describe("Address the web server listens on: every interface when unset; `npm run demo` uses 127.0.0.1."),
  TRUST_PROXY: z
    .string()
    .default("loopback")
    .transform((value, ctx) => {
      const setting = trustProxySetting(value);
      if (typeof setting === "string" && setting.startsWith("!")) {
        ctx.addIssue({ code: "custom", message: setting.slice(1) });
        return z.NEVER;
      }
      return setting;
    })
    .describe("Which proxies in front of the web server may name the client address (X-Forwarded-For): false or 0, a hop count, or a comma-separated list of loopback, linklocal, uniquelocal, IPs and CIDRs. `true` is refused."),
  WEB_CONCURRENCY: unsetWhenEmpty(z.coerce.number().int("must be a whole number from 1 to 256").min(1, "must be a whole number from 1 to 256").max(256, "must be a whole number from 1 to 256").optional()).describe("Web processes sharing the port; unset means one per core in production, one otherwise."),
  PUBLIC_CACHE_MS: unsetWhenEmpty(z.coerce.number({ error: "must be a whole number of milliseconds from 0 to 60000" }).int("must be a whole number of milliseconds from 0 to 60000").min(0, "must be a whole number of milliseconds from 0 to 60000").max(60_000, "must be a whole number of milliseconds from 0 to 60000").optional()).describe("How long a public page or count is shared between requests in one process; unset means 1000 in production, 0 (off) otherwise."),

  // Database
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").default("postgres://postgres@127.0.0.1:5432/inkwell").describe("Postgres connection string."),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10).describe("Connections each process keeps to Postgres."),

  // Queues
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").default("redis://127.0.0.1:6379").describe("Redis connection string for the job queues."),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}-]+$/, "letters, digits, _ - { } only (no colons)").default("inkwell").describe("Prefix of every queue key in Redis, so several installations can share one Redis."),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(100).describe("Mail jobs one worker process runs at once; confirmation emails running together are sent as groups of up to 50."),
  SWEEP_GRACE_MS: z.coerce.number().int().min(0).default(30_000).describe("How long a confirmation, reset link or webhook delivery may wait for its job before the sweeper assumes it never reached Redis."),
  JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000).describe("How long a worker holds a job before others may take it over as stalled (a crashed worker's jobs wait this long)."),
  DELIVERY_MAX_BYTES: z.coerce.number().int().min(200_000).default(10 * 1024 * 1024).describe("Largest email a batch to an official may be; bigger batches are split into numbered parts."),
  MAIL_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20).describe("Updates and delivery notices sent per second across every worker (BullMQ's queue rate limiter)."),
  UPDATE_FANOUT_PAGE_SIZE: z.coerce.number().int().min(100).max(10_000).default(5_000).describe("Supporters an update's fan-out puts in the ledger per statement; each page's sends go to Redis in addBulk calls of at most 1,000 while the next page is written."),
  DELIVERY_NOTICE_DELAY_MS: z.coerce.number().int().min(0).default(15 * 60_000).describe("How long after a batch reaches an official its supporters' delivery notice waits, so a day's deliveries go in one email."),
  STAFF_DIGEST_CRON: z.string().trim().regex(/^[0-9*,/-]+( [0-9*,/-]+){4}$/, "a five-field cron pattern, like 0 7 * * *").default("0 7 * * *").describe("When campaigners who chose a daily digest of workspace alerts get it (cron pattern, UTC)."),

  // Mail
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined))
    .describe("SMTP server to send through; required in production. Under `npm run demo` (DEMO_MODE) an unset value means the embedded sink and the /dev/mailbox page."),
  DEMO_MODE: z
    .enum(["1", "0", "true", "false", "on", "off", ""], { error: "must be 1 or 0 (set by `npm run demo`)" })
    .default("")
    .transform((v) => v === "1" || v === "true" || v === "on")
    .describe("Set by `npm run demo`, never in production: with no SMTP_URL, an embedded SMTP sink and the /dev/mailbox page."),
  DEMO_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025).describe("Port of the embedded demo SMTP sink."),
  MAILBOX_DIR: z.string().min(1).default(".mailbox").describe("Folder where the demo sink keeps the mail it caught."),
  MAIL_FROM: z.string().min(3).default("Inkwell <campaigns@inkwell.example>").describe("From address of every email; its domain also names Message-IDs."),
  DKIM_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "must be a domain name").optional().describe("Domain that signs outgoing mail (DKIM); set all three DKIM variables or none."),
  DKIM_SELECTOR: z.string().regex(/^[a-z0-9._-]+$/i, "must be a DNS label").optional().describe("DKIM selector under which the public key is published."),
  DKIM_PRIVATE_KEY: z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional().describe("PEM private key for DKIM; escaped line breaks (\\n) are accepted."),
  IMAGE_HOSTS: imageHostsSchema.describe("Hosts that images in campaign stories, update emails and the campaign image may load from, comma-separated (images.example.org,cdn.example.net); none by default."),

  // Bounces, complaints and replies coming back in
  BOUNCE_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "must be a domain name").optional().describe("Domain of the return (bounce) and reply addresses; MAIL_FROM's domain when unset."),
  INBOUND_SMTP_PORT: unsetWhenEmpty(z.coerce.number().int().min(0).max(65535).optional()).describe("Port of the inbound SMTP listener the worker runs for bounces, complaints and replies; unset means off."),
  INBOUND_SMTP_HOST: z.string().min(1).default("0.0.0.0").describe("Address the inbound SMTP listener binds to."),
  INBOUND_MAX_BYTES: z.coerce.number().int().min(10_000).max(50 * 1024 * 1024).default(10 * 1024 * 1024).describe("Largest inbound message accepted (bytes); bigger ones are refused during the SMTP dialogue."),
  REPLY_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1_000).default(5 * 1024 * 1024).describe("Largest attachment of an official's reply that is kept."),
  SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(20).default(3).describe("Soft bounces of one message (or, for supporters, within 30 days) before it counts as failed."),
  MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(16, "must be at least 16 characters").optional().describe("Mailgun's HTTP webhook signing key; unset means the webhook refuses every event."),

  // Operations
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info").describe("Lowest level written to the JSON log."),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional().describe("Port of the worker's own /metrics listener; unset means none (the web process serves /metrics)."),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional().describe("Bearer token that opens /metrics to non-loopback scrapers; unset means loopback only."),
  HEARTBEAT_MS: z.coerce.number().int().min(500).max(60_000).default(5_000).describe("How often a worker writes its heartbeat; it counts as stale after three missed beats."),

  // Abuse limits
  RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: limit(20).describe("Signatures one IP may submit per minute (0 = off)."),
  RATE_LIMIT_SIGN_PER_EMAIL_PER_HOUR: limit(20).describe("Signatures one email address may submit per hour (0 = off)."),
  RATE_LIMIT_LETTER_PER_IP_PER_MINUTE: limit(10).describe("Letters one IP may send per minute (0 = off)."),
  RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: limit(20).describe("Workspace sign-in attempts per IP per minute (0 = off)."),
  RATE_LIMIT_SIGNIN_PER_EMAIL_PER_HOUR: limit(30).describe("Failed workspace sign-ins for one account from all IPs together per hour: the backstop against guessing from many IPs (0 = off)."),
  RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL_IP_PER_HOUR: limit(5).describe("Failed workspace sign-ins for one account from one IP per hour (0 = off)."),
  RATE_LIMIT_SIGNIN_FAILURES_PER_MINUTE: limit(300).describe("Failed workspace sign-ins across the whole site per minute: the backstop against spraying many accounts (0 = off)."),
  RATE_LIMIT_PASSWORD_RESET_PER_HOUR: limit(5).describe("Password reset requests per address per hour (0 = off)."),
  RATE_LIMIT_UNSUBSCRIBE_PER_IP_PER_MINUTE: limit(30).describe("Unsubscribe requests per IP per minute (0 = off)."),
  RATE_LIMIT_PRIVACY_REQUEST_PER_HOUR: limit(5).describe("Privacy (my data) requests per address per hour (0 = off)."),
  SIGN_FAST_PATH: z.enum(["on", "off"], { error: "must be on or off" }).default("on").describe("`off` sends every sign-form POST through Remix instead of answering a valid one ahead of it (same pages either way; see docs/decisions/sign-fast-path.md)."),
  CONFIRM_FAST_PATH: z.enum(["on", "off"], { error: "must be on or off" }).default("on").describe("`off` sends every confirm-button POST through Remix instead of answering a successful one ahead of it (same pages either way)."),
  HOT_READS: z.enum(["on", "off"], { error: "must be on or off" }).default("on").describe("`off` sends kept campaign pages and count answers through Express too, instead of straight from node:http (same answers either way; see docs/decisions/hot-read-path.md)."),
  RATE_LIMITS: z.enum(["on", "off"], { error: "must be on or off" }).default("on").describe("`off` lifts every limit and hold at once (tests); refused in production."),
  RATE_LIMIT_API_PER_KEY_PER_MINUTE: limit(120).describe("Requests one OSDI API key may make per minute (0 = off)."),
  SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: limit(50).describe("Signatures one IP may add to one action in an hour before the rest are held for review."),
  IP_HASH_KEY: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .or(z.literal("").transform(() => undefined))
    .describe("Key for IP fingerprints and limiter keys; SESSION_SECRET when unset."),

  // Webhooks
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: z.enum(["true", "false", "1", "0", ""]).default("false").transform((v) => v === "true" || v === "1").describe("Lets webhook endpoints sit on loopback and private addresses, over plain HTTP. Tests only: refused in production."),
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8).describe("Attempts per webhook delivery before it is left failed (a campaigner can replay it)."),
  WEBHOOK_RETRY_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000).describe("First webhook retry delay; each next one doubles."),
  WEBHOOK_PAUSE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(15).describe("Failed attempts in a row (across deliveries) that pause a webhook endpoint and alert the campaign's owners."),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000).describe("How long one webhook attempt may take, connection to last byte read."),

  // Retention
  RETENTION_DAYS_AFTER_CLOSE: days(365).describe("Days after a campaign closes before its supporters' personal data is anonymised."),
  LETTER_SCRUB_DAYS_AFTER_DELIVERY: days(90).describe("Days after a letter reached all its officials before its text is scrubbed."),
};

const DKIM_VARIABLES = ["DKIM_DOMAIN", "DKIM_SELECTOR", "DKIM_PRIVATE_KEY"] as const;

/** The DKIM variable missing from a partial DKIM configuration, if any: all three or none. */
export function missingDkimVariable(values: Partial<Record<(typeof DKIM_VARIABLES)[number], unknown>>): string | undefined {
  const set = DKIM_VARIABLES.filter((k) => values[k] !== undefined && values[k] !== "");
  return set.length > 0 && set.length < DKIM_VARIABLES.length ? DKIM_VARIABLES.find((k) => !set.includes(k)) : undefined;
}

export const envSchema = z.object(shape).superRefine((values, ctx) => {
  const dkim = missingDkimVariable(values);
  if (dkim) ctx.addIssue({ code: "custom", path: [dkim], message: `must be set when any of ${DKIM_VARIABLES.join(", ")} is set` });
});
export type Env = z.infer<typeof envSchema>;
export type EnvName = keyof typeof shape;
export const ENV_NAMES = Object.keys(shape) as EnvName[];

function describeIssues(error: z.ZodError): string {
  return `Invalid environment:\n${error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`;
}

/**
 * Validates the whole environment at boot. A bad value names the variable and why,
 * then the process exits before it serves anything.
 */
/**
 * A server process reads its environment once: afterwards `env()` skips comparing every variable
 * with the cached copy (a profile under load found that comparison at about 4% of a web process's
 * CPU). Called by server/start.ts; tests that change process.env in-process never freeze it.
 */
export function freezeEnv(): void {
  env();
  globalForEnv.__inkwellEnvFrozen = true;
}

export function parseEnvOrExit(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    console.error(describeIssues(result.error));
    process.exit(1);
  }
  // What a schema cannot state alone: secret strength, and what production refuses.
  const verdict = checkEnvRules(result.data, source);
  if (verdict.errors.length > 0) {
    console.error(`Invalid environment:\n${verdict.errors.map((e) => `  ${e}`).join("\n")}`);
    process.exit(1);
  }
  for (const warning of verdict.warnings) console.warn(`Warning: ${warning}`);
  return result.data;
}

const globalForEnv = globalThis as unknown as { __inkwellEnv?: { key: string; value: Env }; __inkwellEnvFrozen?: boolean };

/**
 * The validated environment: the one way code reads a variable. Parsed again only when one of
 * the variables has changed (tests set some after start), so a call costs a string join.
 */
export function env(): Env {
  const cached = globalForEnv.__inkwellEnv;
  if (cached && globalForEnv.__inkwellEnvFrozen) return cached.value;
  const key = ENV_NAMES.map((name) => process.env[name] ?? "\u0000").join("\u0001");
  if (cached?.key === key) return cached.value;
  const result = envSchema.safeParse(process.env);
  if (!result.success) throw new Error(describeIssues(result.error));
  globalForEnv.__inkwellEnv = { key, value: result.data };
  return result.data;
}
