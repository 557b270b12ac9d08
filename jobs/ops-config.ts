import { z } from "zod";

export const opsEnvSchema = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Port of the worker's own /metrics listener; unset means none (the web process serves /metrics). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Bearer token that opens /metrics to non-loopback scrapers; unset means loopback only. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** How often a worker writes its heartbeat; it counts as stale after three missed beats. */
  HEARTBEAT_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
});

/** Logging, metrics and heartbeat settings from the environment (read when called: tests set them late). */
export function opsEnv() {
  return opsEnvSchema.parse(process.env);
}
