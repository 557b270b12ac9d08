import { UnrecoverableError } from "bullmq";
import type { z } from "zod";
import type { DB } from "#db/client";
import { issueTokenIfDue, lockForConfirmationSend, markConfirmationSent, type SendContext } from "#db/queries/confirmation-send";
import { env as emailsEnv } from "#core/env";
import { renderConfirmSignature } from "#emails/confirm-signature";
import { isPermanentSmtpError, mailDomain, sendMail } from "#emails/mailer";
import { letterForConfirmation } from "#db/queries/letter-confirmation";
import type { sendConfirmationJob } from "./definitions";
import { log } from "#core/logger";
import { bounceAddress } from "#emails/return-path";

type Payload = z.infer<typeof sendConfirmationJob.schema>;

/**
 * Sends confirmation email `seq` for a signature, at most once: the signature row stays locked
 * while the message goes out and `emails_sent` is raised in the same transaction, so a duplicate
 * or retried job finds the work done. A retry after a lost commit re-sends with the same Message-ID.
 * The token is committed first, by one statement of its own: the link works the moment the email
 * lands. Then one transaction: the lock and everything the email needs (title, whether a letter
 * goes with it) in one statement, the send, the mark. Five round trips to Postgres per email.
 */
export async function sendConfirmation(db: DB, { signatureId, seq }: Payload): Promise<"sent" | "skipped"> {
  const due = (sig: SendContext | undefined): sig is SendContext =>
    sig !== undefined && sig.status === "pending" && !sig.erased && sig.emailsSent < seq;
  const token = await issueTokenIfDue(db, signatureId, seq);
  if (token === undefined) return "skipped";
  return db.transaction().execute(async (trx) => {
    const sig = await lockForConfirmationSend(trx, signatureId);
    if (!due(sig)) return "skipped";
    const mail = await renderConfirmSignature({
      language: sig.language,
      name: sig.name,
      actionTitle: sig.actionTitle,
      confirmUrl: `${emailsEnv().APP_URL}/confirm/${token}`,
      reminder: sig.remindedAt !== null && seq > 1,
      letter: sig.hasLetter ? await letterForConfirmation(trx, sig.id) : undefined,
    });
    try {
      await sendMail({ to: sig.email, ...mail, messageId: `<confirm.${sig.id}.${seq}@${mailDomain()}>`, returnPath: bounceAddress("confirmation", sig.id) });
    } catch (err) {
      if (isPermanentSmtpError(err)) {
        log.warn("confirmation refused by SMTP", { signatureId, seq, code: (err as { responseCode?: number }).responseCode });
        throw new UnrecoverableError(`SMTP refused: ${(err as { responseCode?: number }).responseCode}`);
      }
      throw err;
    }
    await markConfirmationSent(trx, sig.id, seq);
    return "sent";
  });
}
