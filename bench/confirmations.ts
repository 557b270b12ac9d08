import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { sql } from "kysely";
import type { DB } from "#db/client";
import { sendConfirmationJob } from "#jobs/definitions";
import { figures, round, serviceEnv, shortfall } from "./figures";
import { loadPendingSignatures } from "#db/bulk-load";
import { runChild, startProcess, startSink, waitFor } from "./support";

const MESSAGES = Number(process.env.BENCH_CONFIRMATIONS ?? 5_000);
/** Sends the worker runs at once (BENCH_WORKER_CONCURRENCY tries another figure). */
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 20);

/** Emails per second from queued signatures through one worker process to a loopback sink, beside nodemailer sending directly. */
export async function confirmationFigures(db: DB, databaseUrl: string, actionId: number): Promise<void> {
  console.log(`Confirmation pipeline: ${MESSAGES.toLocaleString("en")} queued signatures through one worker…`);
  // The signing benchmark's signatures had their jobs under another prefix: the worker's sweeper
  // would send them now and inflate this figure, so they count as sent.
  await sql`update signatures set emails_sent = emails_requested where status = 'pending'`.execute(db);
  const ids = await loadPendingSignatures(db, actionId, MESSAGES, "confirm");
  const sink = await startSink();
  // A pool at least as large as the worker's concurrency: each send holds a connection (its row lock) while it goes out.
  const env: Record<string, string> = { ...serviceEnv(databaseUrl, 0), SMTP_URL: sink.url, LOG_LEVEL: "info", WORKER_CONCURRENCY: String(CONCURRENCY), DATABASE_POOL_SIZE: String(CONCURRENCY + 4) };
  // BENCH_WORKER_ARGS adds node flags (e.g. --cpu-prof) to the worker, to see where its time goes.
  const nodeArgs = ["--max-old-space-size=128", ...(process.env.BENCH_WORKER_ARGS ?? "").split(" ").filter(Boolean)];
  const worker = await startProcess("server/start.ts", ["--worker"], env, /worker started/, nodeArgs);
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue(sendConfirmationJob.queue, { connection: redis, prefix: env.QUEUE_PREFIX });
  const started = performance.now();
  for (let i = 0; i < ids.length; i += 1_000) {
    await queue.addBulk(ids.slice(i, i + 1_000).map((signatureId) => {
      const data = { signatureId, seq: 1 };
      return { name: sendConfirmationJob.name, data, opts: { jobId: sendConfirmationJob.jobId!(data) } };
    }));
  }
  await waitFor(() => sink.messages() >= MESSAGES, 600_000);
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
  const received = sink.messages();
  await sink.close();
  if (received !== MESSAGES) console.warn(`  ! the sink received ${received} messages for ${MESSAGES} signatures`);

  const direct = await startSink();
  const baseline = await runChild<{ seconds: number }>("bench/direct-mail.ts", { SMTP_URL: direct.url, BENCH_MESSAGES: String(MESSAGES) });
  await direct.close();
  const rate = MESSAGES / seconds;
  const baseRate = MESSAGES / baseline.seconds;
  console.log(`  worker: ${round(rate, 0)} emails/s; nodemailer directly: ${round(baseRate, 0)} emails/s`);
  figures.push({
    name: `confirmation emails, ${MESSAGES.toLocaleString("en")} queued, one worker`, value: round(rate, 0), unit: "emails/s",
    baseline: { name: "nodemailer pooled transport directly", value: round(baseRate, 0) },
    target: "≥ 0.8 × direct", met: rate >= 0.8 * baseRate,
    note: `${round(rate / baseRate, 2)} × direct; worker: token, row lock and template fill per email (React Email renders once per language); direct: one pre-rendered message, 5 pooled connections both`,
    why: `${shortfall(rate, 0.8 * baseRate, true)}: each email costs the worker two short transactions (token, then lock–title–send–mark: about ten Postgres round trips) and BullMQ's fetch and completion in Redis, which the direct baseline does not pay; nodemailer alone is about a third of the worker's CPU, so one worker process on one core cannot reach 0.8 × a process that only sends; add worker processes`,
  });
}
