import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { sql } from "kysely";
import type { DB } from "#db/client";
import { sendConfirmationJob } from "#jobs/definitions";
import { figures, QUICK, round, serviceEnv } from "./figures";
import { loadPendingSignatures } from "#db/bulk-load";
import { spread } from "./http";
import { runChild, SERVER_ENTRY, startProcess, startSink, waitFor } from "./support";

/** Emails timed on each side: enough that every worker process runs at its steady rate for most of the window (bench/README.md, "Confirmation emails"). */
const MESSAGES = Number(process.env.BENCH_CONFIRMATIONS ?? (QUICK ? 500 : 10_000));
/** Sends in flight per worker process: production's default WORKER_CONCURRENCY (BENCH_WORKER_CONCURRENCY tries another figure). */
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 100);
const PROCESSES = (process.env.BENCH_WORKER_PROCESSES ?? "1,2,4").split(",").map(Number);
/**
 * Emails sent before the clock starts by the baseline's process and by each worker process: its
 * connections open, its code compiled. A worker process lives for days in production, so each one
 * starts the timed window as warm as the baseline's single process does.
 */
const WARMUP = Number(process.env.BENCH_CONFIRMATION_WARMUP ?? (QUICK ? 50 : 1_000));
/** Rounds per process count, each the baseline then the workers; the median of their ratios is reported. */
const ROUNDS = Number(process.env.BENCH_CONFIRMATION_ROUNDS ?? (QUICK ? 1 : 5));

/** nodemailer's pooled transport sending the same rendered message MESSAGES times, in a process of its own. */
async function direct(): Promise<number> {
  const sink = await startSink();
  const result = await runChild<{ seconds: number }>("bench/direct-mail.ts", { SMTP_URL: sink.url, BENCH_MESSAGES: String(MESSAGES), BENCH_WARMUP: String(WARMUP) });
  await sink.close();
  return MESSAGES / result.seconds;
}

/** Emails per second from MESSAGES queued signatures through `processes` worker processes to a loopback sink. */
async function throughWorkers(db: DB, databaseUrl: string, actionId: number, processes: number, tag: string): Promise<number> {
  // Signatures of earlier runs had their jobs under other prefixes: the sweeper would send them now.
  await sql`update signatures set emails_sent = emails_requested where status = 'pending'`.execute(db);
  const warmup = WARMUP * processes;
  const ids = await loadPendingSignatures(db, actionId, warmup + MESSAGES, tag);
  const sink = await startSink();
  // Jobs running together are sent as groups, at most four groups at once per process: the default pool is ample.
  const env: Record<string, string> = { ...serviceEnv(databaseUrl, 0), SMTP_URL: sink.url, LOG_LEVEL: "warn", WORKER_CONCURRENCY: String(CONCURRENCY), DATABASE_POOL_SIZE: "10" };
  // BENCH_WORKER_ARGS adds node flags (e.g. --cpu-prof) to the workers, to see where their time goes.
  const nodeArgs = ["--max-old-space-size=128", ...(process.env.BENCH_WORKER_ARGS ?? "").split(" ").filter(Boolean)];
  const workers = await Promise.all(Array.from({ length: processes }, () => startProcess(SERVER_ENTRY, ["--worker"], { ...env, LOG_LEVEL: "info" }, /worker started/, nodeArgs)));
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue(sendConfirmationJob.queue, { connection: redis, prefix: env.QUEUE_PREFIX });
  const enqueue = async (some: number[]) => {
    for (let i = 0; i < some.length; i += 1_000) {
      await queue.addBulk(some.slice(i, i + 1_000).map((signatureId) => {
        const data = { signatureId, seq: 1 };
        return { name: sendConfirmationJob.name, data, opts: { jobId: sendConfirmationJob.jobId!(data) } };
      }));
    }
  };
  try {
    await enqueue(ids.slice(0, warmup));
    await waitFor(() => sink.messages() >= warmup, 600_000);
    const started = performance.now();
    await enqueue(ids.slice(warmup));
    await waitFor(() => sink.messages() >= warmup + MESSAGES, 600_000);
    const seconds = (performance.now() - started) / 1000;
    if (sink.messages() !== warmup + MESSAGES) console.warn(`  ! the sink received ${sink.messages()} messages for ${warmup + MESSAGES} signatures`);
    return MESSAGES / seconds;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
    await sink.close();
  }
}

/**
 * Confirmation emails through 1, 2 and 4 worker processes, each beside nodemailer's pooled
 * transport measured just before it, in ROUNDS rounds; the median of the rounds' ratios is the figure.
 */
export async function confirmationFigures(db: DB, databaseUrl: string, actionId: number): Promise<void> {
  console.log(`Confirmation emails: ${MESSAGES.toLocaleString("en")} queued signatures after ${WARMUP} untimed per process, ${CONCURRENCY} sends in flight per worker process (production's default), through ${PROCESSES.join(", ")} worker processes, ${ROUNDS} rounds each…`);
  for (const processes of PROCESSES) {
    const rates: number[] = [];
    const baseRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      baseRates.push(await direct());
      rates.push(await throughWorkers(db, databaseUrl, actionId, processes, `confirm${processes}r${r}`));
    }
    const [rate, baseRate] = [spread(rates), spread(baseRates)];
    // Each round's workers over the baseline sent just before them: the machine's capacity moves in
    // spells of minutes, and one round's two sides fall in the same spell far more often than two
    // medians of different rounds do (bench/README.md, "Side by side").
    const byRound = rates.map((r, i) => r / baseRates[i]!);
    const ratio = spread(byRound).median;
    console.log(`  ${processes} worker process${processes > 1 ? "es" : ""}: ${round(rate.median, 0)} emails/s (${round(rate.min, 0)}–${round(rate.max, 0)}); nodemailer directly just before each: ${round(baseRate.median, 0)} emails/s (${round(baseRate.min, 0)}–${round(baseRate.max, 0)}); round by round ${byRound.map((x) => round(x, 2)).join(" ")} (median ${round(ratio, 2)} ×)`);
    figures.push({
      name: `confirmation emails, ${MESSAGES.toLocaleString("en")} queued, ${processes} worker process${processes > 1 ? "es" : ""}`, value: round(rate.median, 0), unit: "emails/s", spread: rate,
      baseline: { name: "nodemailer pooled transport, same rendered message", value: round(baseRate.median, 0), spread: baseRate },
      ratio: round(ratio, 2), target: "≥ 0.8 × baseline", met: ratio >= 0.8,
      note: `median over ${ROUNDS} rounds of the workers' rate over nodemailer's just before them (${byRound.map((x) => round(x, 2)).join(", ")}), each after ${WARMUP} untimed emails in the baseline's process and in each worker process; one job per email, concurrent jobs sent as groups: tokens (one statement), then lock, titles and letter flags (one statement), parts encoded from the cached template (values only), sends and mark (one statement) in one transaction; ${CONCURRENCY} sends in flight per worker process, as production runs them; 5 pooled SMTP connections per process both`,
    });
  }
}
