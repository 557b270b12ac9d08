import { MAKE_A_SECRET, MIN_SECRET_LENGTH, secretWeakness } from "./secret-strength";

interface CheckedEnv {
  NODE_ENV: string;
  SESSION_SECRET: string;
  IP_HASH_KEY?: string;
  SMTP_URL?: string;
  DEMO_MODE: boolean;
  RATE_LIMITS: "on" | "off";
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES?: boolean;
}

export interface EnvVerdict {
  /** Refusals: the process must not start. Each line names its variable. */
  errors: string[];
  /** Outside production the same weaknesses only warn. */
  warnings: string[];
}

/**
 * The rules a schema cannot state alone: production refuses a known or weak secret, demo mode,
 * switched-off limits and a missing mail transport; elsewhere a weak secret is a warning.
 */
export function checkEnvRules(env: CheckedEnv, source: { SESSION_SECRET?: string | undefined; [name: string]: string | undefined }): EnvVerdict {
  const production = env.NODE_ENV === "production";
  const errors: string[] = [];
  const warnings: string[] = [];
  const secrets: [string, string | undefined][] = [["SESSION_SECRET", source.SESSION_SECRET ? env.SESSION_SECRET : undefined], ["IP_HASH_KEY", env.IP_HASH_KEY]];
  for (const [name, value] of secrets) {
    if (value === undefined) {
      if (name === "SESSION_SECRET" && production) errors.push(`SESSION_SECRET: must be set in production (at least ${MIN_SECRET_LENGTH} random characters). Make one with: ${MAKE_A_SECRET}`);
      continue;
    }
    const weakness = secretWeakness(value);
    if (weakness) (production ? errors : warnings).push(`${name}: ${weakness}. Make a good one with: ${MAKE_A_SECRET}`);
  }
  if (!production && !source.SESSION_SECRET) warnings.push(`SESSION_SECRET: not set, so a published development value signs links. Make one with: ${MAKE_A_SECRET}`);
  if (production && env.DEMO_MODE) errors.push("DEMO_MODE: demo mode never runs with NODE_ENV=production (it shows every email on an open page). Unset one of them.");
  if (production && env.RATE_LIMITS === "off") errors.push("RATE_LIMITS: cannot be off with NODE_ENV=production; raise a single limit (RATE_LIMIT_…) instead.");
  if (production && env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES) errors.push("WEBHOOK_ALLOW_PRIVATE_ADDRESSES: private and loopback webhook endpoints are for tests only; unset it in production.");
  if (production && !env.SMTP_URL) errors.push("SMTP_URL: must be set in production (smtp:// or smtps:// URL of the mail provider). To try Inkwell without one, run `npm run demo`.");
  return { errors, warnings };
}
