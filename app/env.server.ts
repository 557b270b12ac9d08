import { z } from "zod";
import { dbEnvSchema } from "../db/config";
import { emailsEnvSchema, missingDkimVariable } from "../emails/config";
import { jobsEnvSchema } from "../jobs/config";
import { opsEnvSchema } from "../jobs/ops-config";
import { retentionEnvSchema } from "../jobs/retention-config";
import { trustEnvSchema } from "./lib/trust.config";
import { inboundEnvSchema } from "../emails/inbound-config";

const webEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SESSION_SECRET: z.string().min(16, "must be at least 16 characters").default("inkwell-development-secret-change-me"),
});

export const envSchema = webEnvSchema.extend(dbEnvSchema.shape).extend(jobsEnvSchema.shape).extend(emailsEnvSchema.shape).extend(opsEnvSchema.shape).extend(trustEnvSchema.shape).extend(retentionEnvSchema.shape).extend(inboundEnvSchema.shape);
export type Env = z.infer<typeof envSchema>;

/**
 * Validates the whole environment at boot. A bad value names the variable and why,
 * then the process exits before it serves anything.
 */
export function parseEnvOrExit(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) {
    if (result.data.NODE_ENV === "production" && !source.SESSION_SECRET) {
      console.error("Invalid environment:\n  SESSION_SECRET: must be set in production");
      process.exit(1);
    }
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
