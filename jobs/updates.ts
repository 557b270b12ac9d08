import { UnrecoverableError, type Job, type Queue } from "bullmq";
import { sql } from "kysely";
import type { DB } from "#db/client";
import { mayMailUpdates, suppressAddress } from "#db/queries/subscriptions";
import {
  addAudiencePage, claimUpdate, completeIfDone, finishFanOut, lockRecipient, markRecipient, queuedRecipients, updatesToFanOut,
  updatesWithQueuedRecipients, type Claim,
} from "#db/queries/update-recipients";
import { campaignTitleIn, getUpdate, textFor } from "#db/queries/updates";
import { isPermanentSmtpError, mailDomain, sendMail } from "#emails/mailer";
import { unsubscribeHeaders, unsubscribeUrl } from "#emails/unsubscribe-link";
import { renderUpdate } from "#emails/update";
import { fanOutUpdateJob, sendUpdateJob } from "./definitions";
import { env as jobsEnv } from "#core/env";
import { log } from "#core/logger";
import { queue as producerQueue } from "./queues";
import { bounceAddress } from "#emails/return-path";

export interface FanOutOptions {
  /** The `updates` queue to add sends to (the worker's, or a benchmark's with its own prefix). */
  queue?: Queue;
  /** Recipients per keyset page (default `UPDATE_FANOUT_PAGE_SIZE`); each page is one INSERT … SELECT … RETURNING and its addBulk calls. */
  pageSize?: number;
}

export interface FanOutResult {
  claim: Claim | "busy";
  /** Send jobs added by this run (re-adding an existing job id is a no-op in BullMQ). */
  enqueued: number;
  audience: number;
}

const FANOUT_LOCK = 0x1c0_0005;
const ADD_BULK_MAX = 1_000;
const ADD_BULK_IN_FLIGHT = 2;

/** Queues one send per supporter: addBulk calls of at most 1,000 jobs, two in flight at a time. */
async function addSends(q: Queue, updateId: number, supporterIds: number[]): Promise<void> {
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < supporterIds.length; i += ADD_BULK_MAX) {
    if (inFlight.length === ADD_BULK_IN_FLIGHT) await inFlight.shift();
    const call = q.addBulk(supporterIds.slice(i, i + ADD_BULK_MAX).map((supporterId) => {
      const data = { updateId, supporterId };
      return { name: sendUpdateJob.name, data, opts: { ...sendUpdateJob.options, jobId: sendUpdateJob.jobId!(data) } };
    }));
    call.catch(() => {}); // awaited below
    inFlight.push(call);
  }
  await Promise.all(inFlight);
}

/**
 * Fans an update out: claims it (scheduled → sending, once), pages the audience by keyset into
 * the ledger and queues one send per queued ledger row. Postgres writes page N+1 while Redis takes
 * page N's jobs (one page in flight on each side). A crashed run is resumed from the start: rows
 * already in the ledger stay, queued ones are re-queued under the same job ids.
 */
export async function fanOutUpdate(db: DB, updateId: number, options: FanOutOptions = {}): Promise<FanOutResult> {
  const claim = await claimUpdate(db, updateId);
  if (claim === "done" || claim === "not-due") return { claim, enqueued: 0, audience: 0 };
  const q = options.queue ?? producerQueue("updates");
  const pageSize = options.pageSize ?? jobsEnv().UPDATE_FANOUT_PAGE_SIZE;
  return db.connection().execute(async (conn) => {
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${FANOUT_LOCK}, ${updateId}::int4) as ok`.execute(conn);
    if (!lock.rows[0]?.ok) return { claim: "busy" as const, enqueued: 0, audience: 0 };
    try {
      let after = 0;
      let enqueued = 0;
      let adding: Promise<void> = Promise.resolve();
      for (;;) {
        const page = await addAudiencePage(db, updateId, after, pageSize);
        await adding;
        adding = addSends(q, updateId, page.queued);
        adding.catch(() => {}); // awaited below; this only keeps it from counting as unhandled meanwhile
        enqueued += page.queued.length;
        after = page.last;
        if (page.count < pageSize) break;
      }
      await adding;
      // Rows a crashed run left beyond the audience's last page (someone unsubscribed meanwhile): their sends skip.
      for (;;) {
        const tail = await queuedRecipients(db, updateId, after, Number.MAX_SAFE_INTEGER, pageSize);
        if (tail.length === 0) break;
        await addSends(q, updateId, tail);
        enqueued += tail.length;
        after = tail.at(-1)!;
      }
      const audience = await finishFanOut(db, updateId);
      await completeIfDone(db, updateId);
      log.info("update fanned out", { updateId, audience, enqueued, resumed: claim === "resume" });
      return { claim, enqueued, audience };
    } finally {
      await sql`select pg_advisory_unlock(${FANOUT_LOCK}, ${updateId}::int4)`.execute(conn);
    }
  });
}

type SendOutcome = "sent" | "skipped" | { failed: string; permanent: boolean };

/**
 * Sends one update to one supporter, at most once: the ledger row stays locked while the message
 * goes out and is marked sent in the same transaction. Unsubscribes and suppressions are checked
 * at send time. A 5xx marks the row failed and suppresses the address; a 4xx is retried.
 */
export async function sendUpdate(db: DB, { updateId, supporterId }: { updateId: number; supporterId: number }, job?: Job): Promise<string> {
  const finalAttempt = job ? job.attemptsMade + 1 >= (job.opts.attempts ?? 1) : false;
  const outcome = await db.transaction().execute(async (trx): Promise<SendOutcome> => {
    const row = await lockRecipient(trx, updateId, supporterId);
    if (!row || row.status !== "queued") return "skipped";
    const to = row.update_status === "sending" ? await mayMailUpdates(trx, supporterId, row.campaign_id) : undefined;
    if (!to) {
      await markRecipient(trx, updateId, supporterId, "skipped", row.update_status === "sending" ? "unsubscribed or suppressed" : "update stopped");
      return "skipped";
    }
    const update = await getUpdate(trx, updateId);
    const text = update && textFor(update.translations, row.language);
    if (!text) throw new UnrecoverableError("update has no text");
    const url = unsubscribeUrl(supporterId, row.campaign_id);
    const mail = await renderUpdate({
      language: text.language, subject: text.subject, bodyMarkdown: text.body_markdown,
      campaignTitle: await campaignTitleIn(trx, row.campaign_id, text.language), unsubscribeUrl: url,
    });
    try {
      await sendMail({ to: to.email, ...mail, messageId: `<update.${updateId}.${supporterId}@${mailDomain()}>`, headers: unsubscribeHeaders(url), returnPath: bounceAddress("update", `${updateId}-${supporterId}`) });
    } catch (err) {
      const smtp = err as { responseCode?: number; response?: string; message?: string };
      const permanent = isPermanentSmtpError(err);
      if (!permanent && !finalAttempt) throw err;
      const reason = permanent ? `SMTP ${smtp.responseCode}: ${smtp.response ?? smtp.message}` : `gave up after retries: ${smtp.message}`;
      await markRecipient(trx, updateId, supporterId, "failed", reason.slice(0, 500));
      if (permanent) await suppressAddress(trx, to.email, "hard_bounce", `update ${updateId}`);
      // The reply text can quote the address: it stays in the ledger; the job and the logs get only the code.
      return { failed: permanent ? `SMTP refused the update (${smtp.responseCode})` : "gave up after retries", permanent };
    }
    await markRecipient(trx, updateId, supporterId, "sent");
    return "sent";
  });
  await completeIfDone(db, updateId);
  if (typeof outcome === "string") return outcome;
  log.warn("update refused by SMTP", { updateId, supporterId, permanent: outcome.permanent });
  throw new UnrecoverableError(outcome.failed);
}

/**
 * Queues the fan-out of every due scheduled update and of every fan-out a crashed worker left.
 * When the queue is empty yet the ledger still has recipients waiting (Redis lost its jobs), queues their sends again.
 */
export async function updatesTick(db: DB, q: Queue): Promise<number> {
  const ids = await updatesToFanOut(db);
  for (const updateId of ids) {
    const data = { updateId };
    await q.add(fanOutUpdateJob.name, data, { ...fanOutUpdateJob.options, jobId: fanOutUpdateJob.jobId!(data) });
  }
  const stuck = await updatesWithQueuedRecipients(db);
  if (stuck.length === 0) return ids.length;
  const counts = await q.getJobCounts("waiting", "active", "delayed", "prioritized");
  if (Object.values(counts).some((n) => n > 0)) return ids.length;
  for (const updateId of stuck) {
    let requeued = 0;
    for (let after = 0; ;) {
      const page = await queuedRecipients(db, updateId, after, Number.MAX_SAFE_INTEGER, 1_000);
      if (page.length === 0) break;
      await addSends(q, updateId, page);
      requeued += page.length;
      after = page.at(-1)!;
    }
    log.warn("update sends queued again: the queue had lost them", { updateId, requeued });
  }
  return ids.length + stuck.length;
}
