import { db, type Executor } from "#db/client";
import { recordNewSignatures, recordSignature, type SignatureInput, type SignatureOutcome } from "#db/queries/signatures";
import { addressOnFile } from "#db/queries/suspicious";
import { sendConfirmationJob } from "#jobs/definitions";
import { log } from "#core/logger";
import { enqueueMany } from "#jobs/queues";

// Group commit. Signatures that arrive while earlier ones are being written are written together:
// one statement for the first-time signers (a transaction only for those whose letter or hold
// shares it, and for repeat signers), one addBulk for their confirmations. A lone signature is
// written at once, so a quiet site adds no delay. Each caller is answered only after its batch has
// committed (and its enqueue was tried), so "check your email" still means the signature is stored.
const MAX_BATCH = 100;
// One batch in flight per process: while it is written the next one gathers, so under load each
// statement carries many signatures (the bench measured two and four in flight as slower: more,
// smaller statements, each with its own socket write and commit).
const MAX_FLUSHES = 1;

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
 * Records a signature as `recordSignature` does (the typed address resolved to the one on file),
 * with `then` in the same transaction, committed together with concurrent submissions; then
 * enqueues its confirmation email. A Redis failure only delays the email (the sweeper re-enqueues it).
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

/**
 * The batch's first-time signers without work of their own are written by one statement that
 * commits by itself; the rest (repeat signers, and those whose letter or hold must share the
 * signature's transaction) in one transaction after it.
 */
async function record(batch: Pending[]): Promise<SignatureOutcome[]> {
  const outcomes: (SignatureOutcome | null)[] = batch.map(() => null);
  const alone = batch.flatMap((p, i) => (p.then ? [] : [i]));
  const fresh = await recordNewSignatures(db(), alone.map((i) => batch[i]!.input));
  alone.forEach((i, k) => (outcomes[i] = fresh[k]!));
  const rest = batch.flatMap((p, i) => (outcomes[i] === null ? [i] : []));
  if (rest.length > 0) {
    await db().transaction().execute(async (trx) => {
      const shared = rest.filter((i) => batch[i]!.then);
      const firsts = await recordNewSignatures(trx, shared.map((i) => batch[i]!.input));
      shared.forEach((i, k) => (outcomes[i] = firsts[k]!));
      for (const i of rest) {
        const p = batch[i]!;
        if (outcomes[i] === null) {
          const email = (await addressOnFile(trx, p.input.email)) ?? p.input.email;
          outcomes[i] = await recordSignature(trx, { ...p.input, email });
        }
        if (p.then) await p.then(trx, outcomes[i]!);
      }
    });
  }
  return outcomes as SignatureOutcome[];
}

async function flush(batch: Pending[]): Promise<void> {
  let outcomes: SignatureOutcome[];
  try {
    outcomes = await record(batch);
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
