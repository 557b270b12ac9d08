import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { listOsdiPeople } from "#db/queries/osdi";
import { personResource } from "../lib/osdi-resources.server";
import { collection, pageParams, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/people: supporters with a confirmed signature in this key's campaigns (needs the "people" scope). */
export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "people");
  const { perPage, after } = pageParams(request);
  const rows = await listOsdiPeople(db(), caller.campaignIds, after, perPage);
  return collection(request, "osdi:people", rows, perPage, personResource);
}
