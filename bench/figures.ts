import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import type { Spread } from "./http";

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Median of several runs, with their spread. */
  spread?: Spread;
  baseline?: { name: string; value: number; spread?: Spread };
  /** The figure divided by its baseline (throughput: higher is better; latency: lower is better). */
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
  /** Why a missed target was missed, written into the note only when it was. */
  why?: string;
}

export const figures: Figure[] = [];

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** "61% of the target" / "2.4 × the limit": how far a figure is from its goal. */
export function shortfall(value: number, goal: number, higherIsBetter: boolean): string {
  return higherIsBetter ? `${Math.round((value / goal) * 100)}% of the target` : `${round(value / goal, 2)} × the limit`;
}

// Shared causes of misses on a small shared machine.
export const WHY = {
  cpu: "everything (load generator, web processes, Postgres, Redis) shares the cores",
};

/** `npm run bench -- --quick`: a smoke run (short rounds, small loads) that checks the bench itself, not the machine. */
export const QUICK = process.argv.includes("--quick");
/** Seconds each measured HTTP round lasts (BENCH_SECONDS changes it). */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 4));
/** Web processes the server and the bare baseline run. */
export const WEB_PROCESSES = Number(process.env.BENCH_WEB_CONCURRENCY ?? availableParallelism());

/** Every queue prefix the run used, so its Redis keys can be removed at the end. */
export const prefixes: string[] = [];
// Production refuses a published secret: each run makes its own.
const BENCH_SECRET = randomBytes(48).toString("base64url");

/** The environment every process the benchmark starts runs with. */
export function serviceEnv(databaseUrl: string, port: number, prefix = `bench${randomBytes(3).toString("hex")}`): Record<string, string> {
  prefixes.push(prefix);
  const high = "1000000000";
  return {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: BENCH_SECRET,
    MAIL_FROM: "Inkwell Bench <bench@inkwell.example>",
    WEB_CONCURRENCY: String(WEB_PROCESSES),
    LOG_LEVEL: "warn",
    // The abuse limits would (rightly) refuse one address hammering the form: the benchmark lifts them
    // by number (RATE_LIMITS=off is refused in production, and the benchmark measures production).
    RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: high,
    RATE_LIMIT_SIGN_PER_EMAIL_PER_HOUR: high,
    RATE_LIMIT_LETTER_PER_IP_PER_MINUTE: high,
    SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: high,
  };
}
