import { z } from "zod";
import { dbEnvSchema } from "../db/config";
import { emailsEnvSchema, missingDkimVariable } from "../emails/config";
import { jobsEnvSchema } from "../jobs/config";
import { opsEnvSchema } from "../jobs/ops-config";
import { retentionEnvSchema } from "../jobs/retention-config";
import { checkEnvRules } from "./env-rules.server";
import { trustEnvSchema } from "./lib/trust.config";

const webEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SESSION_SECRET: z.string().min(16, "must be at least 16 characters").default("inkwell-development-secret-change-me"),
  /** Address to listen on: every interface by default, loopback under `npm run demo`. */
  HOST: z.union([z.ipv4(), z.ipv6()], { error: "must be an IP address such as 127.0.0.1 or 0.0.0.0" }).optional(),
});

export const envSchema = webEnvSchema.extend(dbEnvSchema.shape).extend(jobsEnvSchema.shape).extend(emailsEnvSchema.shape).extend(opsEnvSchema.shape).extend(trustEnvSchema.shape).extend(retentionEnvSchema.shape);
export type Env = z.infer<typeof envSchema>;

/**
 * Validates the whole environment at boot. A bad value names the variable and why,
 * then the process exits before it serves anything.
 */
export function parseEnvOrExit(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) {
    const verdict = checkEnvRules(result.data, source);
    if (verdict.errors.length) {
      console.error(`Invalid environment:\n${verdict.errors.map((e) => `  ${e}`).join("\n")}`);
      process.exit(1);
    }
    for (const warning of verdict.warnings) console.warn(`Warning: ${warning}`);
    const dkim = missingDkimVariable(result.data);
    if (dkim) {
      console.error(`Invalid environment:\n  ${dkim}: must be set when any of DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY is set`);
      process.exit(1);
    }
    return result.data;
  }
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  console.error(`Invalid environment:\n${lines.join("\n")}`);
  process.exit(1);
}

/** The validated environment for request handlers. */
export function env(): Env {
  return (cached ??= envSchema.parse(process.env));
}
let cached: Env | undefined;
