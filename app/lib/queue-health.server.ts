import { QUEUE_NAMES, queue } from "#jobs/queues";

export interface QueueHealth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
}

/** Waiting, active, delayed and failed jobs per queue: one cheap Redis round trip each, or null when Redis does not answer. */
export async function queueHealth(): Promise<QueueHealth[] | null> {
  try {
    return await Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const c = await within(queue(name).getJobCounts("waiting", "active", "delayed", "failed", "prioritized"), 1_000);
        return { name, waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
      }),
    );
  } catch {
    return null;
  }
}
