import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { findOsdiAction, letterRecipients, listOsdiSignatures } from "#db/queries/osdi";
import { outreachResource } from "../lib/osdi-resources.server";
import { apiError, collection, idParam, pageParams, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/advocacy_campaigns/:id/outreaches: confirmed letters, oldest first (needs the "people" scope). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "people");
  const row = await findOsdiAction(db(), caller.campaignIds, "letter", idParam(params.id, "advocacy campaign"));
  if (!row) throw apiError(404, "not_found", "No such advocacy campaign.");
  const { perPage, after } = pageParams(request);
  const rows = await listOsdiSignatures(db(), row.id, after, perPage);
  const recipients = await letterRecipients(db(), rows.map((r) => r.id));
  return collection(request, "osdi:outreaches", rows, perPage, (r) => outreachResource(r, recipients.filter((o) => o.signature_id === r.id)));
}
