import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { findOsdiAction, listOsdiSignatures } from "#db/queries/osdi";
import { signatureResource } from "../lib/osdi-resources.server";
import { apiError, hal, idParam, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/petitions/:id/signatures/:signatureId: one confirmed signature (needs the "people" scope). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "people");
  const row = await findOsdiAction(db(), caller.campaignIds, "petition", idParam(params.id, "petition"));
  const id = idParam(params.signatureId, "signature");
  const [found] = row ? await listOsdiSignatures(db(), row.id, id - 1, 1) : [];
  if (!found || found.id !== id) throw apiError(404, "not_found", "No such signature.");
  return hal(signatureResource(found));
}
