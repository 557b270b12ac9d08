import { db } from "../../db/client";
import { createPasswordReset, findCampaignerForSignIn } from "../../db/queries/campaigners";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "../../db/passwords";
import { hashToken, newToken } from "../../db/tokens";
import { mailDomain, sendMail } from "../../emails/mailer";
import { renderPasswordReset } from "../../emails/password-reset";
import { log } from "../../jobs/log";
import { env } from "../env.server";
import { bounceAddress } from "../../emails/return-path";

/** The campaigner these credentials belong to, or null; takes as long for unknown emails as for known ones. */
export async function checkCredentials(email: string, password: string) {
  const found = await findCampaignerForSignIn(db(), email);
  const ok = await verifyPassword(password, found?.password_hash ?? DUMMY_HASH);
  if (!found || !ok) return null;
  if (needsRehash(found.password_hash)) {
    await db().updateTable("campaigners").set({ password_hash: await hashPassword(password) }).where("id", "=", found.id).execute();
  }
  return { id: found.id, email: found.email, name: found.name, role: found.role };
}

/**
 * Emails a one-hour reset link when the address belongs to a campaigner. The answer to the
 * visitor is the same either way, so the form never tells who has an account.
 */
export async function sendPasswordReset(email: string): Promise<void> {
  const found = await findCampaignerForSignIn(db(), email);
  if (!found) return;
  const token = newToken();
  await createPasswordReset(db(), found.id, hashToken(token));
  const mail = await renderPasswordReset({ name: found.name, resetUrl: `${env().APP_URL}/admin/reset-password/${token}` });
  try {
    // Sent from the request: the token exists only here, and job payloads never carry secrets.
    await sendMail({ to: found.email, ...mail, messageId: `<reset.${found.id}.${Date.now()}@${mailDomain()}>`, returnPath: bounceAddress("reset", found.id) });
  } catch (err) {
    log.error("password reset email failed", { campaignerId: found.id, err: (err as Error).message });
  }
}
