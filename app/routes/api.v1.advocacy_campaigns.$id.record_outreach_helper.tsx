import type { ActionFunctionArgs } from "@remix-run/node";
import { recordOutreachHelper } from "../lib/osdi-helpers.server";
import { apiError } from "../lib/osdi.server";

/** POST /api/v1/advocacy_campaigns/:id/record_outreach_helper: writes a letter as the form does (needs the "write" scope). */
export function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw apiError(405, "method_not_allowed", "Use POST.");
  return recordOutreachHelper(request, context, params.id);
}

export function loader() {
  throw apiError(405, "method_not_allowed", "Use POST with a JSON body.");
}
