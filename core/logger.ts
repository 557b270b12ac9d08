import { pino, type Logger } from "pino";
import { envSchema } from "./env";

type Fields = Record<string, string | number | boolean | null | undefined>;

const globalForLog = globalThis as unknown as { __inkwellLogger?: { level: string; logger: Logger } };

/**
 * The process-wide pino logger: JSON lines, info and below on stdout, warnings and errors on
 * stderr. LOG_LEVEL is read when the level changes, so a test that sets it before starting the
 * platform gets what it asked for.
 */
export function logger(): Logger {
  // Read alone and leniently: the logger must work even while another variable is invalid.
  const level = envSchema.shape.LOG_LEVEL.catch("info").parse(process.env.LOG_LEVEL || undefined);
  const cached = globalForLog.__inkwellLogger;
  if (cached?.level === level) return cached.logger;
  const streams = pino.multistream(
    [
      { level: "trace", stream: process.stdout },
      { level: "warn", stream: process.stderr },
    ],
    { dedupe: true },
  );
  const created = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    streams,
  );
  globalForLog.__inkwellLogger = { level, logger: created };
  return created;
}

/** Structured JSON logs. Fields carry ids and counts, never emails, names or letters. */
export const log = {
  info: (msg: string, fields?: Fields) => logger().info(fields ?? {}, msg),
  warn: (msg: string, fields?: Fields) => logger().warn(fields ?? {}, msg),
  error: (msg: string, fields?: Fields) => logger().error(fields ?? {}, msg),
};
