import { UnrecoverableError } from "bullmq";
import type { z } from "zod";
import type { DB } from "#db/client";
import { issueTokensIfDue, lockForConfirmationSend, markConfirmationsSent, type SendContext } from "#db/queries/confirmation-send";
import { env as emailsEnv } from "#core/env";
import { prepareConfirmSignature } from "#emails/confirm-signature";
import { isPermanentSmtpError, mailDomain, sendMail } from "#emails/mailer";
import { letterForConfirmation } from "#db/queries/letter-confirmation";
import type { sendConfirmationJob } from "./definitions";
import { log } from "#core/logger";
import { bounceAddress } from "#emails/return-path";
import { groupSender, type ConfirmationOutcome } from "./confirmation-group";

type Payload = z.infer<typeof sendConfirmationJob.schema>;

/**
 * Sends confirmation email `seq` for a signature, at most once. The job hands its payload to the
 * process's group sender: jobs running at the same time are sent together by `sendConfirmations`,
 * and each job settles with its own email's outcome (a lone job is sent at once).
 */
export function sendConfirmation(db: DB, payload: Payload): Promise<"sent" | "skipped"> {
  return groupSender(db, sendConfirmations).send(payload);
}

/**
 * Sends a group of confirmation emails (one per signature) in a constant number of Postgres round
 * trips. The tokens of every email still due are committed first, by one statement: the links
 * work the moment the emails land. Then one transaction locks every row (id order) reading what
 * each email needs, renders and sends them all at once over the pooled transport, marks the ones
 * that went out in one statement and commits; the rows stay locked during the sends, so a
 * duplicate or retried job finds the work done, and a retry after a lost commit re-sends with the
 * same Message-ID. A refusal (4xx, 5xx) or a failed render fails only its own email's job;
 * a Postgres failure fails every job of the group that was not already settled.
 */
export async function sendConfirmations(db: DB, group: Payload[]): Promise<ConfirmationOutcome[]> {
  // One email per signature and group (the group sender sees to it): a second one waits for a retry.
  const seen = new Set<number>();
  const outcomes: ConfirmationOutcome[] = group.map((p) =>
    seen.has(p.signatureId) ? { error: new Error("another email of this signature is in the same group") } : (seen.add(p.signatureId), { result: "skipped" }));
  const first = group.filter((_, i) => !("error" in outcomes[i]!));
  const tokens = await issueTokensIfDue(db, first);
  const due = group.flatMap((p, i) => (tokens.has(p.signatureId) && !("error" in outcomes[i]!) ? [i] : []));
  if (due.length === 0) return outcomes;
  const sent: Payload[] = [];
  await db.transaction().execute(async (trx) => {
    const rows = await lockForConfirmationSend(trx, due.map((i) => group[i]!.signatureId));
    await Promise.all(due.map(async (i) => {
      const { signatureId, seq } = group[i]!;
      const sig = rows.get(signatureId);
      if (!sig || sig.status !== "pending" || sig.erased || sig.emailsSent >= seq) return;
      try {
        await sendOne(sig, seq, tokens.get(signatureId)!, sig.hasLetter ? await letterForConfirmation(trx, sig.id) : undefined);
        sent.push(group[i]!);
        outcomes[i] = { result: "sent" };
      } catch (err) {
        outcomes[i] = { error: refusal(err, signatureId, seq) };
      }
    }));
    await markConfirmationsSent(trx, sent);
  });
  return outcomes;
}

async function sendOne(sig: SendContext, seq: number, token: string, letter: { subject: string; body: string } | undefined): Promise<void> {
  const mail = await prepareConfirmSignature({
    language: sig.language,
    name: sig.name,
    actionTitle: sig.actionTitle,
    confirmUrl: `${emailsEnv().APP_URL}/confirm/${token}`,
    reminder: sig.remindedAt !== null && seq > 1,
    letter,
  });
  await sendMail({ to: sig.email, ...mail, messageId: `<confirm.${sig.id}.${seq}@${mailDomain()}>`, returnPath: bounceAddress("confirmation", sig.id) });
}

/** A permanent SMTP refusal becomes an UnrecoverableError (no retry); anything else is retried. */
function refusal(err: unknown, signatureId: number, seq: number): Error {
  if (isPermanentSmtpError(err)) {
    const code = (err as { responseCode?: number }).responseCode;
    log.warn("confirmation refused by SMTP", { signatureId, seq, code });
    return new UnrecoverableError(`SMTP refused: ${code}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
