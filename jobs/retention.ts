import type { DB } from "#db/client";
import { unsentPrivacyRequests } from "#db/queries/privacy";
import { anonymiseClosedCampaigns, scrubDeliveredLetters } from "#db/queries/retention";
import { env as jobsEnv } from "#core/env";
import { sendPrivacyLinkJob } from "./definitions";
import { log } from "#core/logger";
import { enqueueMany } from "./queues";
import { env as retentionEnv } from "#core/env";

/**
 * Hourly: anonymises personal data of campaigns closed past the retention period, scrubs letters
 * delivered long enough ago, and re-enqueues privacy links whose job never reached Redis.
 */
export async function runRetention(db: DB): Promise<{ anonymised: number; scrubbed: number }> {
  const env = retentionEnv();
  let anonymised = 0;
  for (let n = -1; n !== 0; ) anonymised += n = await anonymiseClosedCampaigns(db, env.RETENTION_DAYS_AFTER_CLOSE);
  let scrubbed = 0;
  for (let n = -1; n !== 0; ) scrubbed += n = await scrubDeliveredLetters(db, env.LETTER_SCRUB_DAYS_AFTER_DELIVERY);
  const unsent = await unsentPrivacyRequests(db, jobsEnv().SWEEP_GRACE_MS);
  if (unsent.length) await enqueueMany(sendPrivacyLinkJob, unsent.map((requestId) => ({ requestId })));
  if (anonymised || scrubbed) log.info("retention applied", { anonymised, scrubbed });
  return { anonymised, scrubbed };
}
