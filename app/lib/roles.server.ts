import { db } from "#db/client";
import { canAccessCampaign } from "#db/queries/campaigners";
import { canEditOfficial } from "#db/queries/officials";
import { getCampaignForWorkspace, isOwner } from "#db/queries/workspace-campaigns";
import type { SessionCampaigner } from "#db/queries/campaigners";
import { requireCampaigner, type CampaignerSession } from "./auth.server";
import { notFound } from "./http.server";

/*
 * What a campaigner may do, in one place. Admins see and change everything, including the accounts
 * and the security policy; a campaigner works on the campaigns they own or that are shared with them,
 * shares only what they own, and changes an official only when every campaign writing to them is theirs.
 */

/** Whether the campaigner holds the admin role. */
export function isAdmin(campaigner: Pick<SessionCampaigner, "role">): boolean {
  return campaigner.role === "admin";
}

/** A signed-in admin; a campaigner without the role sees the page does not exist. */
export async function requireAdmin(request: Request): Promise<CampaignerSession> {
  const session = await requireCampaigner(request);
  if (!isAdmin(session.campaigner)) notFound();
  return session;
}

/** A campaign the signed-in campaigner owns, shares or (as admin) oversees; otherwise 404. */
export async function requireCampaignAccess(request: Request, campaignId: number | string | undefined) {
  const session = await requireCampaigner(request);
  const id = Number(campaignId);
  if (!Number.isSafeInteger(id) || id <= 0 || !(await canAccessCampaign(db(), session.campaigner, id))) notFound();
  const campaign = await getCampaignForWorkspace(db(), id);
  if (!campaign) notFound();
  return { session, campaign };
}

/** Whether the campaigner may share the campaign with others or take it back: its owner or an admin. */
export async function mayShareCampaign(campaigner: SessionCampaigner, campaignId: number): Promise<boolean> {
  return isAdmin(campaigner) || isOwner(db(), campaigner.id, campaignId);
}

/** Refuses sharing to anyone but the campaign's owner or an admin (403). */
export async function requireShareRight(campaigner: SessionCampaigner, campaignId: number): Promise<void> {
  if (!(await mayShareCampaign(campaigner, campaignId))) throw new Response("Only the campaign's owner or an admin can share it.", { status: 403 });
}

/** Whether the campaigner may change the official (see `canEditOfficial` for the rule). */
export async function mayEditOfficial(campaigner: SessionCampaigner, officialId: number): Promise<boolean> {
  return canEditOfficial(db(), campaigner, officialId);
}

/** Refuses a change to an official whom campaigns the campaigner does not work on write to (403). */
export function requireOfficialEditable(editable: boolean): void {
  if (!editable) throw new Response("This official receives letters from campaigns you do not work on. Ask an admin to change them.", { status: 403 });
}
