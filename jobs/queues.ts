import { Queue, type JobsOptions } from "bullmq";
import type { z } from "zod";
import { env as jobsEnv } from "#core/env";
import { producerConnection } from "#core/redis";

/** Queues by purpose: mail that people wait for, batches to officials, housekeeping, and paced bulk mail (updates). */
export const QUEUE_NAMES = ["mail", "delivery", "maintenance", "updates"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** A job: its name, its queue, its payload schema (ids only) and its default options. */
export interface JobDefinition<S extends z.ZodType> {
  name: string;
  queue: QueueName;
  schema: S;
  options?: JobsOptions;
  /** The job id that makes enqueueing the same work twice a no-op (no `:` allowed). */
  jobId?: (payload: z.infer<S>) => string;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

const globalForQueues = globalThis as unknown as { __inkwellQueues?: Map<string, Queue> };

/** The producer-side queue, created once per process. */
export function queue(name: QueueName): Queue {
  const queues = (globalForQueues.__inkwellQueues ??= new Map());
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, {
      connection: producerConnection(),
      prefix: jobsEnv().QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: "exponential", delay: 2_000 },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    q.on("error", () => {}); // connection errors are logged once by the connection itself
    queues.set(name, q);
  }
  return q;
}

const ENQUEUE_TIMEOUT_MS = 1_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("enqueue timed out")), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

// One shared wait per connection: a crowd of requests during a Redis outage adds one listener, not one each.
let readyWait: { redis: ReturnType<typeof producerConnection>; ready: Promise<void> } | undefined;

/** Waits briefly for the producer connection; a Redis that is down fails the enqueue at once. */
async function producerReady(ms: number): Promise<void> {
  const redis = producerConnection();
  if (redis.status === "ready") return;
  if (readyWait?.redis !== redis) {
    const ready = new Promise<void>((resolve) => redis.once("ready", () => resolve()));
    readyWait = { redis, ready };
    void ready.then(() => {
      if (readyWait?.ready === ready) readyWait = undefined;
    });
  }
  await withTimeout(readyWait.ready, ms);
}

/** Enqueues one job; rejects quickly when Redis is unreachable. */
export async function enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.infer<S>, options: JobsOptions = {}): Promise<void> {
  const data = def.schema.parse(payload);
  await producerReady(ENQUEUE_TIMEOUT_MS);
  await withTimeout(
    queue(def.queue).add(def.name, data, { ...def.options, ...(def.jobId ? { jobId: def.jobId(data) } : {}), ...options }),
    ENQUEUE_TIMEOUT_MS,
  );
}

/** Enqueues many jobs of one kind, in chunks of at most 1,000. */
export async function enqueueMany<S extends z.ZodType>(def: JobDefinition<S>, payloads: z.infer<S>[]): Promise<void> {
  for (let i = 0; i < payloads.length; i += 1_000) {
    const chunk = payloads.slice(i, i + 1_000).map((p) => {
      const data = def.schema.parse(p);
      return { name: def.name, data, opts: { ...def.options, ...(def.jobId ? { jobId: def.jobId(data) } : {}) } };
    });
    await producerReady(ENQUEUE_TIMEOUT_MS);
    await withTimeout(queue(def.queue).addBulk(chunk), ENQUEUE_TIMEOUT_MS * 5);
  }
}

/** Closes every producer queue (graceful shutdown). */
export async function closeQueues(): Promise<void> {
  const queues = globalForQueues.__inkwellQueues;
  globalForQueues.__inkwellQueues = undefined;
  await Promise.all([...(queues?.values() ?? [])].map((q) => q.close().catch(() => {})));
}
