import { json, redirect } from "@remix-run/node";
import { db } from "#db/client";
import { confirmSignature } from "#db/queries/signatures";
import { isWellFormedToken } from "#core/tokens";
import { signatureConfirmedEvent } from "#services/webhook-events";
import { letterRef } from "./letter-link.server";
import { thanksRef } from "./thanks-ref.server";

/** The token page is never cached, nor its address sent to other sites. */
export const CONFIRM_NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" };

/** The not-valid page's data, on GET and POST alike: 404 for an unknown or expired link, 410 for a signature no longer pending. */
export const refusedLink = (status: 404 | 410) => json({ valid: false, subject: undefined }, { status, headers: CONFIRM_NO_STORE });

/**
 * The confirm button (POST /confirm/:token): confirms the signature (one statement), records the
 * webhook event when an endpoint listens, and answers the thank-you redirect, or the page's 404
 * (unknown or expired link) or 410 (no longer pending: expired, erased). The Remix action and the
 * web server's fast path (server/http/confirm-fast-path.ts) both answer with this.
 */
export async function confirmByToken(token: string): Promise<Response> {
  const confirmed = isWellFormedToken(token) ? await confirmSignature(db(), token) : undefined;
  if (!confirmed) return refusedLink(404);
  if (confirmed.status !== "confirmed") return refusedLink(410);
  await signatureConfirmedEvent(db(), confirmed);
  const thanks = `/campaigns/${confirmed.campaignSlug}/${confirmed.actionSlug}/thanks`;
  // Signed, so the thank-you page can offer what this supporter has not done yet, and no one else can ask.
  const letter = confirmed.hasLetter ? `&letter=${letterRef(confirmed.signatureId)}` : "";
  return redirect(`${thanks}?done=${thanksRef(confirmed.signatureId)}${letter}`, { headers: CONFIRM_NO_STORE });
}
