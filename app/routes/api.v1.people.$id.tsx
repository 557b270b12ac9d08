import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { listOsdiPeople } from "#db/queries/osdi";
import { personResource } from "../lib/osdi-resources.server";
import { apiError, hal, idParam, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1/people/:id: a supporter this key may see; an erased one is gone (404). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "people");
  const id = idParam(params.id, "person");
  const [row] = await listOsdiPeople(db(), caller.campaignIds, id - 1, 1, id);
  if (!row) throw apiError(404, "not_found", "No such person.");
  return hal(personResource(row));
}
