import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { findOsdiAction, listOsdiSignatures } from "#db/queries/osdi";
import { signatureResource } from "../lib/osdi-resources.server";
import { apiError, collection, idParam, pageParams, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/petitions/:id/signatures: confirmed signatures, oldest first (needs the "people" scope). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "people");
  const row = await findOsdiAction(db(), caller.campaignIds, "petition", idParam(params.id, "petition"));
  if (!row) throw apiError(404, "not_found", "No such petition.");
  const { perPage, after } = pageParams(request);
  const rows = await listOsdiSignatures(db(), row.id, after, perPage);
  return collection(request, "osdi:signatures", rows, perPage, signatureResource);
}
