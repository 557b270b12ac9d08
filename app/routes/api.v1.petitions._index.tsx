import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { listOsdiActions } from "#db/queries/osdi";
import { petitionResource } from "../lib/osdi-resources.server";
import { collection, pageParams, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/petitions: the petitions of the campaigns this key reaches. */
export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "read");
  const { perPage, after } = pageParams(request);
  const rows = await listOsdiActions(db(), caller.campaignIds, "petition", after, perPage);
  return collection(request, "osdi:petitions", rows, perPage, petitionResource);
}
