import type { DB } from "#db/client";
import { recordTrending } from "#db/queries/suspicious";
import { log } from "#core/logger";

/** Hourly: records the IP fingerprints and email domains behind many signatures on an action in the last full hour. */
export async function recordTrendingReport(db: DB, now = new Date()): Promise<number> {
  const hour = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000);
  const rows = await recordTrending(db, hour);
  if (rows) log.info("trending report recorded", { rows, window: hour.toISOString() });
  return rows;
}
