import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { z } from "zod";
import type { DB } from "#db/client";
import { env as emailsEnv } from "#core/env";
import { env as jobsEnv } from "#core/env";
import { workerConnection } from "#core/redis";
import { deliveryTick, sendBatch } from "./deliver";
import { deliverAction } from "#services/deliveries";
import { noticeDeliveries, sendDeliveryNotice } from "./delivery-notices";
import {
  deliverActionJob, deliveryTickJob, foldCountersJob, reconcileCountersJob, sendBatchJob, sendConfirmationJob, sweepSignaturesJob,
  fanOutUpdateJob, noticeDeliveriesJob, sendDeliveryNoticeJob, sendUpdateJob, updatesTickJob,
  retentionJob, sendPrivacyLinkJob, trendingReportJob, sendPasswordResetJob,
  sendWebhookJob,
  sendStaffAlertJob, sweepStaffAlertsJob, sendStaffDigestsJob,
} from "./definitions";
import { startHeartbeat, warnIfRedisNotDurable } from "./heartbeat";
import { log } from "#core/logger";
import { instrumentWorker, setQueueSource } from "#core/metrics";
import { env as opsEnv } from "#core/env";
import { foldCounters, reconcile, sweepOutbox, sweepSignatures } from "./maintenance";
import { QUEUE_NAMES, type JobDefinition, type QueueName } from "./queues";
import { runRetention } from "./retention";
import { sendConfirmation } from "./send-confirmation";
import { sendPasswordReset } from "./send-password-reset";
import { sendPrivacyLink } from "./send-privacy-link";
import { recordTrendingReport } from "./trending";
import { fanOutUpdate, sendUpdate, updatesTick } from "./updates";
import { sendWebhook } from "./webhooks";
import { sendStaffAlert, sendStaffDigests, sweepStaffAlerts } from "./staff-alerts";

interface HandlerContext {
  db: DB;
  job: Job;
  queues: Map<QueueName, Queue>;
}
type Handler = (payload: never, ctx: HandlerContext) => Promise<unknown>;

function handler<S extends z.ZodType>(def: JobDefinition<S>, run: (payload: z.infer<S>, ctx: HandlerContext) => Promise<unknown>) {
  return [def.name, { def, run: run as Handler }] as const;
}

/** Every job the worker knows: its definition (to re-validate the payload) and its handler. */
const handlers = new Map([
  handler(sendConfirmationJob, (p, { db }) => sendConfirmation(db, p)),
  handler(foldCountersJob, (_p, { db }) => foldCounters(db)),
  handler(reconcileCountersJob, (_p, { db }) => reconcile(db)),
  handler(sweepSignaturesJob, async (_p, { db }) => ({ ...(await sweepSignatures(db)), ...(await sweepOutbox(db)) })),
  handler(deliverActionJob, (p, { db }) => deliverAction(db, p.actionId, { trigger: p.trigger ?? "schedule", timeZone: p.timeZone })),
  handler(sendBatchJob, (p, { db, job }) => sendBatch(db, p, job)),
  handler(deliveryTickJob, (_p, { db, queues }) => deliveryTick(db, queues.get("delivery")!)),
  handler(fanOutUpdateJob, (p, { db, queues }) => fanOutUpdate(db, p.updateId, { queue: queues.get("updates")! })),
  handler(sendUpdateJob, (p, { db, job }) => sendUpdate(db, p, job)),
  handler(updatesTickJob, (_p, { db, queues }) => updatesTick(db, queues.get("updates")!)),
  handler(noticeDeliveriesJob, (p, { db, queues }) => noticeDeliveries(db, p.deliveryId, queues.get("updates")!)),
  handler(sendDeliveryNoticeJob, (p, { db, job }) => sendDeliveryNotice(db, p, job)),
  handler(sendPrivacyLinkJob, (p, { db }) => sendPrivacyLink(db, p)),
  handler(sendPasswordResetJob, (p, { db }) => sendPasswordReset(db, p)),
  handler(trendingReportJob, (_p, { db }) => recordTrendingReport(db)),
  handler(retentionJob, (_p, { db }) => runRetention(db)),
  handler(sendWebhookJob, (p, { db, job }) => sendWebhook(db, p, job)),
  handler(sendStaffAlertJob, (p, { db }) => sendStaffAlert(db, p)),
  handler(sweepStaffAlertsJob, (_p, { db }) => sweepStaffAlerts(db)),
  handler(sendStaffDigestsJob, (_p, { db }) => sendStaffDigests(db)),
]);

/** A periodic job: every so many milliseconds, or on a cron pattern (UTC) read at start. */
export type Schedule = { def: JobDefinition<z.ZodType> } & ({ every: number } | { pattern: () => string });

/** Periodic jobs, as BullMQ job schedulers (upserted at every start, so changes apply). */
export const SCHEDULES: Schedule[] = [
  { def: foldCountersJob, every: 2_000 },
  { def: sweepSignaturesJob, every: 30_000 },
  { def: deliveryTickJob, every: 60_000 },
  { def: reconcileCountersJob, every: 10 * 60_000 },
  { def: updatesTickJob, every: 30_000 },
  { def: trendingReportJob, every: 3600_000 },
  { def: retentionJob, every: 3600_000 },
  { def: sweepStaffAlertsJob, every: 30_000 },
  { def: sendStaffDigestsJob, pattern: () => opsEnv().STAFF_DIGEST_CRON },
];

const CONCURRENCY: Record<QueueName, number> = { mail: 0, delivery: 2, maintenance: 2, updates: 4 };

export interface WorkerOptions {
  redisUrl?: string;
  prefix?: string;
  concurrency?: number;
  /** Schedules to install; tests pass their own intervals. */
  schedules?: Schedule[];
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue, installs the schedules, and returns a handle to stop them. */
export async function startWorkers(db: DB, options: WorkerOptions = {}): Promise<RunningWorkers> {
  const env = jobsEnv();
  emailsEnv(); // a partial DKIM configuration stops the worker here, naming the missing variable
  const prefix = options.prefix ?? env.QUEUE_PREFIX;
  const url = options.redisUrl ?? env.REDIS_URL;
  const queues = new Map(QUEUE_NAMES.map((name) => [name, new Queue(name, { connection: workerConnection(url), prefix })] as const));
  for (const q of queues.values()) q.on("error", () => {});

  const process = async (job: Job) => {
    const entry = handlers.get(job.name);
    if (!entry) throw new UnrecoverableError(`unknown job ${job.name}`);
    const parsed = entry.def.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}`);
    return entry.run(parsed.data as never, { db, job, queues });
  };
  const workers = QUEUE_NAMES.map((name) => {
    const worker = new Worker(name, process, {
      connection: workerConnection(url),
      prefix,
      concurrency: CONCURRENCY[name] || (options.concurrency ?? env.WORKER_CONCURRENCY),
      lockDuration: env.JOB_LOCK_MS,
      stalledInterval: env.JOB_LOCK_MS,
      // Updates and notices are paced across every worker by the queue's rate limiter (kept in Redis).
      ...(name === "updates" ? { limiter: { max: env.MAIL_RATE_PER_SECOND, duration: 1_000 } } : {}),
    });
    worker.on("failed", (job, err) =>
      log.warn("job failed", { queue: name, job: job?.name, id: job?.id, attempt: job?.attemptsMade, err: err.message }),
    );
    worker.on("error", (err) => log.error("worker error", { queue: name, err: err.message }));
    instrumentWorker(worker, name);
    return worker;
  });

  const installSchedules = async () => {
    for (const s of options.schedules ?? SCHEDULES) {
      const repeat = "every" in s ? { every: s.every } : { pattern: s.pattern(), tz: "UTC" };
      await queues.get(s.def.queue)!.upsertJobScheduler(s.def.name, repeat, { name: s.def.name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
    }
  };
  await installSchedules();
  // A Redis that comes back without its data (no persistence, a failover) has forgotten the
  // schedules, and with them the sweeper that sends what never reached Redis: install them again
  // whenever the connection is (re)established. Upserting is idempotent.
  const watcher = workerConnection(url);
  watcher.on("ready", () => void installSchedules().catch((err: Error) => log.warn("schedules not reinstalled", { err: err.message })));
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  setQueueSource(() => [...queues.values()]);
  const heartbeat = startHeartbeat(watcher, prefix, opsEnv().HEARTBEAT_MS);
  void warnIfRedisNotDurable(watcher).catch(() => {});
  log.info("worker started", { queues: QUEUE_NAMES.join(","), prefix, worker: heartbeat.id });

  return {
    workers,
    async close() {
      await heartbeat.stop();
      watcher.disconnect();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      log.info("worker stopped");
    },
  };
}
