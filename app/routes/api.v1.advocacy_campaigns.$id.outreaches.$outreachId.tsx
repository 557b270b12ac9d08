import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { findOsdiAction, letterRecipients, listOsdiSignatures } from "#db/queries/osdi";
import { outreachResource } from "../lib/osdi-resources.server";
import { apiError, hal, idParam, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/advocacy_campaigns/:id/outreaches/:outreachId: one confirmed letter (needs the "people" scope). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "people");
  const row = await findOsdiAction(db(), caller.campaignIds, "letter", idParam(params.id, "advocacy campaign"));
  const id = idParam(params.outreachId, "outreach");
  const [found] = row ? await listOsdiSignatures(db(), row.id, id - 1, 1) : [];
  if (!found || found.id !== id) throw apiError(404, "not_found", "No such outreach.");
  return hal(outreachResource(found, await letterRecipients(db(), [id])));
}
