import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { sql } from "kysely";
import type { DB } from "#db/client";
import { createUpdate, scheduleUpdate } from "#db/queries/updates";
import { fanOutUpdate } from "#jobs/updates";
import { figures, QUICK, round, serviceEnv, shortfall } from "./figures";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? (QUICK ? 5_000 : 100_000));

/** Time to put one update's 100,000 consenting recipients in the ledger and queue a send for each. */
export async function fanOutFigures(db: DB, databaseUrl: string): Promise<void> {
  console.log(`Loading a campaign with ${RECIPIENTS.toLocaleString("en")} supporters who opted in to updates…`);
  const campaign = await sql<{ id: number }>`insert into campaigns (slug, status, launched_at) values ('bench-updates', 'live', now()) returning id`.execute(db);
  const campaignId = campaign.rows[0]!.id;
  await sql`insert into campaign_translations (campaign_id, language, title, summary, story) values (${campaignId}, 'en', 'Bench', 'Bench', 'Bench')`.execute(db);
  const action = await sql<{ id: number }>`insert into actions (campaign_id, slug, kind, goal) values (${campaignId}, 'bench', 'petition', 1000) returning id`.execute(db);
  await sql`
    with s as (
      insert into supporters (email, language) select 'upd-' || g || '@example.org', 'en' from generate_series(1, ${RECIPIENTS}::int) g returning id
    )
    insert into signatures (action_id, supporter_id, status, name, country, language, confirmed_at, counted, emails_sent, updates_opt_in)
    select ${action.rows[0]!.id}, id, 'confirmed', 'Supporter ' || id, 'PE', 'en', now(), true, 1, true from s
  `.execute(db);
  await sql`analyze`.execute(db);
  const updateId = await db.transaction().execute(async (trx) => {
    const id = await createUpdate(trx, { campaignId, createdBy: null, texts: [{ language: "en", subject: "What your letters did", body: "Thank you." }] });
    await scheduleUpdate(trx, id, new Date());
    return id;
  });

  const env = serviceEnv(databaseUrl, 0);
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue("updates", { connection: redis, prefix: env.QUEUE_PREFIX });
  console.log("Fanning the update out…");
  const started = performance.now();
  const result = await fanOutUpdate(db, updateId, { queue });
  const seconds = (performance.now() - started) / 1000;
  const waiting = await queue.count();
  await queue.obliterate({ force: true });
  // Baseline: the same number of jobs added straight to Redis, no ledger.
  const bareStarted = performance.now();
  for (let i = 0; i < RECIPIENTS; i += 1_000) {
    await queue.addBulk(Array.from({ length: Math.min(1_000, RECIPIENTS - i) }, (_, k) => ({
      name: "send-update", data: { updateId, supporterId: i + k + 1 }, opts: { jobId: `bare-${updateId}-${i + k + 1}` },
    })));
  }
  const bareSeconds = (performance.now() - bareStarted) / 1000;
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
  console.log(`  ${result.enqueued.toLocaleString("en")} sends queued (audience ${result.audience.toLocaleString("en")}) in ${round(seconds)} s; bare addBulk ${round(bareSeconds)} s`);
  if (result.audience !== RECIPIENTS || waiting !== RECIPIENTS) console.warn(`  ! expected ${RECIPIENTS} recipients, got audience ${result.audience} and ${waiting} jobs`);
  figures.push({
    name: `update fan-out to ${RECIPIENTS.toLocaleString("en")} recipients`, value: round(seconds), unit: "s", target: "≤ 10 s", met: seconds <= 10,
    baseline: { name: "addBulk of as many jobs, no ledger", value: round(bareSeconds) },
    why: `${shortfall(seconds, 10, false)}: Node's addBulk work, Redis's job scripts and the ledger insert share the cores`,
    note: `ledger rows by keyset pages of 5,000 (INSERT … SELECT … RETURNING), addBulk of 1,000 two at a time while the next page is written; ${waiting.toLocaleString("en")} jobs in Redis`,
  });
}
