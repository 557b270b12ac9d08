import { redirect } from "@remix-run/node";
import { db } from "#db/client";
import { mustSetUpTwoFactor } from "#db/queries/two-factor";

/** Where a campaigner sets up (or manages) two-step sign-in. */
export const TWO_FACTOR_PATH = "/admin/two-factor";

/** Whether this campaigner must set up two-step sign-in before doing anything else. */
export async function needsTwoFactorSetUp(campaignerId: number): Promise<boolean> {
  return mustSetUpTwoFactor(db(), campaignerId);
}

/**
 * Passes the session through, unless an admin requires two-step sign-in and this campaigner has
 * not set it up: then every workspace page sends them to set it up first.
 */
export async function requireTwoFactorWhenDemanded<T extends { campaigner: { id: number } }>(session: T): Promise<T> {
  if (await needsTwoFactorSetUp(session.campaigner.id)) throw redirect(TWO_FACTOR_PATH);
  return session;
}
