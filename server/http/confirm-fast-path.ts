import { confirmByToken } from "#app/lib/confirm.server";

// The confirm button's POST without Express's middleware or Remix's per-request work, as for the
// sign form (./sign-fast-path.ts): the request runs through the very function the route's action
// calls (`confirmByToken`, one statement), and when that ends in the thank-you redirect it is sent
// straight away (./fast-posts.ts). Any other outcome (an unknown, expired or spent link) is left to
// Remix, which runs the action again — it only reads then, so nothing is done twice — and renders
// the page as it always did.

const CONFIRM_PATH = /^\/confirm\/([A-Za-z0-9_-]{16,128})$/;
/** The route Remix's client names when JavaScript submits the confirm form (`?_data=`). */
export const CONFIRM_ROUTE_ID = "routes/confirm.$token";

export interface ConfirmPost { token: string; data: boolean }

/** The confirm POST a URL names: no query string, or only the data request of this route. */
export function confirmPost(url: string): ConfirmPost | null {
  const at = url.indexOf("?");
  const path = CONFIRM_PATH.exec(at < 0 ? url : url.slice(0, at));
  if (!path) return null;
  if (at < 0) return { token: path[1]!, data: false };
  const query = new URLSearchParams(url.slice(at + 1));
  return query.size === 1 && query.get("_data") === CONFIRM_ROUTE_ID ? { token: path[1]!, data: true } : null;
}

/** Confirms the signature: the thank-you redirect to send, or null when Remix must render the page. */
export async function runConfirm(post: ConfirmPost): Promise<globalThis.Response | null> {
  const answer = await confirmByToken(post.token);
  return answer.status === 302 ? answer : null;
}
