import { UnrecoverableError } from "bullmq";
import type { z } from "zod";
import type { DB } from "#db/client";
import { issuePasswordResetToken, lockUnsentResetRequest, markResetRequestSent } from "#db/queries/password-resets";
import { env as emailsEnv } from "#core/env";
import { isPermanentSmtpError, mailDomain, sendMail } from "#emails/mailer";
import { bounceAddress } from "#emails/return-path";
import { renderPasswordReset } from "#emails/password-reset";
import type { sendPasswordResetJob } from "./definitions";
import { log } from "#core/logger";

/**
 * Emails a campaigner the one-hour link to choose a new password, once per request. The token is
 * committed first, so the link works the moment the email lands; the request stays locked while it goes out.
 */
export async function sendPasswordReset(db: DB, { requestId }: z.infer<typeof sendPasswordResetJob.schema>): Promise<"sent" | "skipped"> {
  const issued = await db.transaction().execute((trx) => issuePasswordResetToken(trx, requestId));
  if (!issued) return "skipped";
  return db.transaction().execute(async (trx) => {
    if (!(await lockUnsentResetRequest(trx, requestId))) return "skipped";
    const mail = await renderPasswordReset({ name: issued.name, resetUrl: `${emailsEnv().APP_URL}/admin/reset-password/${issued.token}` });
    try {
      await sendMail({ to: issued.email, ...mail, messageId: `<reset.${requestId}@${mailDomain()}>`, returnPath: bounceAddress("reset", requestId) });
    } catch (err) {
      if (isPermanentSmtpError(err)) {
        log.warn("password reset refused by SMTP", { requestId, campaignerId: issued.campaignerId });
        throw new UnrecoverableError("SMTP refused the password reset");
      }
      throw err;
    }
    await markResetRequestSent(trx, requestId);
    return "sent";
  });
}
