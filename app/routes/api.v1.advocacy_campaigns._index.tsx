import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { actionTargets, listOsdiActions } from "#db/queries/osdi";
import { advocacyCampaignResource } from "../lib/osdi-resources.server";
import { collection, pageParams, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/advocacy_campaigns: the letter actions of the campaigns this key reaches. */
export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "read");
  const { perPage, after } = pageParams(request);
  const rows = await listOsdiActions(db(), caller.campaignIds, "letter", after, perPage);
  const officials = await actionTargets(db(), rows.map((r) => r.id));
  return collection(request, "osdi:advocacy_campaigns", rows, perPage, (r) => advocacyCampaignResource(r, officials.filter((o) => o.action_id === r.id)));
}
