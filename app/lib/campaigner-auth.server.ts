import { db } from "#db/client";
import { findCampaignerForSignIn } from "#db/queries/campaigners";
import { createPasswordResetRequest } from "#db/queries/password-resets";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "#core/passwords";
import { sendPasswordResetJob } from "#jobs/definitions";
import { log } from "#core/logger";
import { enqueue } from "#jobs/queues";

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
 * Asks the worker to email a one-hour reset link when the address belongs to an active campaigner.
 * The request does the same work either way (one insert that finds the account or not; no token,
 * no hashing, no mail), so neither the answer nor its timing tells who has an account.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const requestId = await createPasswordResetRequest(db(), email);
  if (requestId === null) return;
  await enqueue(sendPasswordResetJob, { requestId }).catch((err: Error) =>
    log.warn("password reset not enqueued", { requestId, err: err.message }),
  );
}
