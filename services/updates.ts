import { fanOutUpdateJob } from "#jobs/definitions";
import { queue as producerQueue } from "#jobs/queues";

/** Starts an update now or at `at`: a (delayed) fan-out job. The updates tick starts it too if Redis lost the job. */
export async function queueFanOut(updateId: number, at: Date): Promise<void> {
  const delay = Math.max(0, at.getTime() - Date.now());
  const data = { updateId, at: at.getTime() };
  await producerQueue("updates").add(fanOutUpdateJob.name, data, { ...fanOutUpdateJob.options, jobId: fanOutUpdateJob.jobId!(data), delay });
}

/** Drops the delayed fan-out of a cancelled update (the claim refuses it anyway if it still runs). */
export async function dropFanOut(updateId: number, at: Date): Promise<void> {
  await producerQueue("updates").remove(fanOutUpdateJob.jobId!({ updateId, at: at.getTime() })).catch(() => 0);
}
