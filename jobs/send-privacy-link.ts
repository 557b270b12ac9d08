import { UnrecoverableError } from "bullmq";
import type { z } from "zod";
import type { DB } from "#db/client";
import { issuePrivacyToken, lockUnsentPrivacyRequest, markPrivacyRequestSent } from "#db/queries/privacy";
import { env as emailsEnv } from "#core/env";
import { isPermanentSmtpError, mailDomain, sendMail } from "#emails/mailer";
import { renderPrivacyLink } from "#emails/privacy-link";
import type { sendPrivacyLinkJob } from "./definitions";
import { log } from "#core/logger";
import { bounceAddress } from "#emails/return-path";

/**
 * Emails a supporter the link to their data, once. The token is committed first, so the link
 * works the moment the email lands; the request row stays locked while it goes out.
 */
export async function sendPrivacyLink(db: DB, { requestId }: z.infer<typeof sendPrivacyLinkJob.schema>): Promise<"sent" | "skipped"> {
  const request = await db.transaction().execute((trx) => issuePrivacyToken(trx, requestId));
  if (!request) return "skipped";
  return db.transaction().execute(async (trx) => {
    if (!(await lockUnsentPrivacyRequest(trx, requestId))) return "skipped";
    const mail = await renderPrivacyLink({ language: request.language, url: `${emailsEnv().APP_URL}/privacy/my-data/${request.token}` });
    try {
      await sendMail({ to: request.email, ...mail, messageId: `<privacy.${requestId}@${mailDomain()}>`, returnPath: bounceAddress("privacy", requestId) });
    } catch (err) {
      if (isPermanentSmtpError(err)) {
        log.warn("privacy link refused by SMTP", { requestId });
        throw new UnrecoverableError("SMTP refused the privacy link");
      }
      throw err;
    }
    await markPrivacyRequestSent(trx, requestId);
    return "sent";
  });
}
