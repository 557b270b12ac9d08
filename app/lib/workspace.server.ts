import { json } from "@remix-run/node";
import type { SubmissionResult } from "@conform-to/react";
import { deliveryTickJob } from "#jobs/definitions";
import { enqueue } from "#jobs/queues";
import { log } from "#core/logger";
import type { CampaignInput } from "../forms/workspace-campaign";
import { inputLanguages } from "../forms/workspace-campaign";
import type { CampaignFields } from "#db/queries/workspace-campaigns";

/** A form's reply with field errors set on the server (taken slug, unknown placeholder…), as a 400. */
export function fieldErrors<T>(submission: { reply(options?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] }): SubmissionResult<T> }, errors: Record<string, string>, status = 400) {
  const fieldErrors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, [v]]));
  return json(submission.reply({ fieldErrors }), { status });
}

/** The campaign fields a validated form describes. */
export function campaignFields(input: CampaignInput): CampaignFields {
  return { slug: input.slug, goal: input.goal, imageUrl: input.imageUrl ?? null, defaultLanguage: input.defaultLanguage, translations: inputLanguages(input) };
}

/**
 * Asks the worker to bring delivery schedules in step now rather than at its next minute tick.
 * Best effort: if Redis is away the tick still runs once it is back.
 */
export async function nudgeDeliverySchedules(): Promise<void> {
  try {
    await enqueue(deliveryTickJob, {});
  } catch (err) {
    log.warn("could not nudge delivery schedules", { err: (err as Error).message });
  }
}
