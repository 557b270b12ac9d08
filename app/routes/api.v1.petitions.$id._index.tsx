import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { findOsdiAction } from "#db/queries/osdi";
import { petitionResource, withRecord } from "../lib/osdi-resources.server";
import { campaignRecord } from "../lib/outcomes.server";
import { apiError, hal, idParam, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/petitions/:id */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "read");
  const row = await findOsdiAction(db(), caller.campaignIds, "petition", idParam(params.id, "petition"));
  if (!row) throw apiError(404, "not_found", "No such petition.");
  return hal(withRecord(petitionResource(row), row.slug, await campaignRecord(row.campaign_id)));
}
