import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { DB } from "../db/client";
import { jobsEnv } from "./config";
import { workerConnection } from "./connection";
import { foldCountersJob, reconcileCountersJob, sendConfirmationJob, sweepSignaturesJob } from "./definitions";
import { log } from "./log";
import { foldCounters, reconcile, sweepSignatures } from "./maintenance";
import { QUEUE_NAMES, type JobDefinition, type QueueName } from "./queues";
import { sendConfirmation } from "./send-confirmation";
import type { z } from "zod";

type Handler = (db: DB, payload: never) => Promise<unknown>;

function handler<S extends z.ZodType>(def: JobDefinition<S>, run: (db: DB, payload: z.infer<S>) => Promise<unknown>) {
  return [def.name, { def, run: run as Handler }] as const;
}

/** Every job the worker knows: its definition (to re-validate the payload) and its handler. */
const handlers = new Map([
  handler(sendConfirmationJob, sendConfirmation),
  handler(foldCountersJob, (db) => foldCounters(db)),
  handler(reconcileCountersJob, (db) => reconcile(db)),
  handler(sweepSignaturesJob, (db) => sweepSignatures(db)),
]);

/** Periodic jobs, as BullMQ job schedulers (upserted at every start, so changes apply). */
export const SCHEDULES = [
  { def: foldCountersJob, every: 2_000 },
  { def: sweepSignaturesJob, every: 30_000 },
  { def: reconcileCountersJob, every: 10 * 60_000 },
];

export interface WorkerOptions {
  redisUrl?: string;
  prefix?: string;
  concurrency?: number;
  /** Schedules to install; tests pass their own intervals. */
  schedules?: { def: JobDefinition<z.ZodType>; every: number }[];
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue, installs the schedules, and returns a handle to stop them. */
export async function startWorkers(db: DB, options: WorkerOptions = {}): Promise<RunningWorkers> {
  const env = jobsEnv();
  const prefix = options.prefix ?? env.QUEUE_PREFIX;
  const url = options.redisUrl ?? env.REDIS_URL;
  const process = async (job: Job) => {
    const entry = handlers.get(job.name);
    if (!entry) throw new UnrecoverableError(`unknown job ${job.name}`);
    const parsed = entry.def.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}`);
    return entry.run(db, parsed.data as never);
  };
  const workers = QUEUE_NAMES.map((name: QueueName) => {
    const worker = new Worker(name, process, {
      connection: workerConnection(url),
      prefix,
      concurrency: name === "mail" ? (options.concurrency ?? env.WORKER_CONCURRENCY) : 2,
    });
    worker.on("failed", (job, err) =>
      log.warn("job failed", { queue: name, job: job?.name, id: job?.id, attempt: job?.attemptsMade, err: err.message }),
    );
    worker.on("error", (err) => log.error("worker error", { queue: name, err: err.message }));
    return worker;
  });

  const schedulerQueues = new Map<string, Queue>();
  for (const { def, every } of options.schedules ?? SCHEDULES) {
    let q = schedulerQueues.get(def.queue);
    if (!q) {
      q = new Queue(def.queue, { connection: workerConnection(url), prefix });
      schedulerQueues.set(def.queue, q);
    }
    await q.upsertJobScheduler(def.name, { every }, { name: def.name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info("worker started", { queues: QUEUE_NAMES.join(","), prefix });

  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...schedulerQueues.values()].map((q) => q.close()));
      log.info("worker stopped");
    },
  };
}
