import { db, type Executor } from "#db/client";
import { recordNewSignatures, recordSignature, type SignatureInput, type SignatureOutcome } from "#db/queries/signatures";
import { sendConfirmationJob } from "#jobs/definitions";
import { log } from "#core/logger";
import { enqueueMany } from "#jobs/queues";

// Group commit. Signatures that arrive while earlier ones are being written are written together:
// one transaction, a few multi-row statements for the first-time signers, one addBulk for their
// confirmations. A lone signature is written at once, so a quiet site adds no delay. Each caller
// is answered only after its batch has committed (and its enqueue was tried), so "check your
// email" still means the signature is stored.
const MAX_BATCH = 100;
const MAX_FLUSHES = 4;

/** Work that must share the signature's transaction (its letter, a hold), given the outcome. */
export type WithSignature = (trx: Executor, outcome: SignatureOutcome) => Promise<void>;

interface Pending {
  input: SignatureInput;
  then?: WithSignature;
  resolve: (outcome: SignatureOutcome) => void;
  reject: (err: unknown) => void;
}

const waiting: Pending[] = [];
let flushing = 0;

/**
 * Records a signature as `recordSignature` does, with `then` in the same transaction, committed
 * together with concurrent submissions; then enqueues its confirmation email. A Redis failure only
 * delays the email (the sweeper re-enqueues it).
 */
export function recordSignatureGrouped(input: SignatureInput, then?: WithSignature): Promise<SignatureOutcome> {
  return new Promise((resolve, reject) => {
    waiting.push({ input, then, resolve, reject });
    pump();
  });
}

function pump() {
  while (flushing < MAX_FLUSHES && waiting.length > 0) {
    const batch = waiting.splice(0, MAX_BATCH);
    flushing += 1;
    void flush(batch).finally(() => {
      flushing -= 1;
      pump();
    });
  }
}

async function flush(batch: Pending[]): Promise<void> {
  let outcomes: SignatureOutcome[];
  try {
    outcomes = await db().transaction().execute(async (trx) => {
      const fresh = await recordNewSignatures(trx, batch.map((p) => p.input));
      const result: SignatureOutcome[] = [];
      for (const [i, p] of batch.entries()) {
        const outcome = fresh[i] ?? (await recordSignature(trx, p.input));
        if (p.then) await p.then(trx, outcome);
        result.push(outcome);
      }
      return result;
    });
  } catch (err) {
    if (batch.length === 1) return batch[0]!.reject(err);
    // One failing submission must not fail the others: each is written again on its own.
    await Promise.all(batch.map((p) => flush([p])));
    return;
  }
  const jobs = outcomes.flatMap((o) => (o.sendSeq === null ? [] : [{ signatureId: o.signatureId, seq: o.sendSeq }]));
  if (jobs.length > 0) {
    await enqueueMany(sendConfirmationJob, jobs).catch((err: Error) =>
      log.warn("confirmations not enqueued; the sweeper will retry", { signatures: jobs.length, first: jobs[0]!.signatureId, err: err.message }),
    );
  }
  batch.forEach((p, i) => p.resolve(outcomes[i]!));
}
