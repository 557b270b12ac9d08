import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { actionTargets, findOsdiAction } from "#db/queries/osdi";
import { advocacyCampaignResource, withRecord } from "../lib/osdi-resources.server";
import { campaignRecord } from "../lib/outcomes.server";
import { apiError, hal, idParam, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/advocacy_campaigns/:id */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "read");
  const row = await findOsdiAction(db(), caller.campaignIds, "letter", idParam(params.id, "advocacy campaign"));
  if (!row) throw apiError(404, "not_found", "No such advocacy campaign.");
  return hal(withRecord(advocacyCampaignResource(row, await actionTargets(db(), [row.id])), row.slug, await campaignRecord(row.campaign_id)));
}
