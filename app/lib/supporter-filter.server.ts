import { parseWithZod } from "@conform-to/zod/v4";
import { db } from "#db/client";
import { campaignActionChoices, type SupporterFilter } from "#db/queries/workspace-supporters";
import { filterParams, supporterFilterSchema, toSupporterFilter, type SupporterFilterValues } from "../forms/workspace-supporters";
import { boundedQuery, formShape } from "./form-body.server";

const FILTER_FORM = formShape(supporterFilterSchema);

export type FilterRead =
  | { ok: true; filter: SupporterFilter; values: SupporterFilterValues; params: [string, string][]; actions: Awaited<ReturnType<typeof campaignActionChoices>> }
  | { ok: false; errors: Record<string, string[] | null>; actions: Awaited<ReturnType<typeof campaignActionChoices>> };

/** Reads the supporters filter from a query string or form; an action of another campaign is an error like any bad value. */
export async function readSupporterFilter(campaignId: number, source: URLSearchParams | FormData): Promise<FilterRead> {
  const actions = await campaignActionChoices(db(), campaignId);
  // A form was read through its shape already; a query string is bounded here before Conform builds anything.
  const bounded = source instanceof URLSearchParams ? boundedQuery(source, FILTER_FORM) : source;
  const submission = parseWithZod(bounded, { schema: supporterFilterSchema });
  if (submission.status !== "success") return { ok: false, errors: submission.reply().error ?? {}, actions };
  const values = submission.value;
  if (values.action !== undefined && !actions.some((a) => a.id === values.action)) {
    return { ok: false, errors: { action: ["Choose a call to action from the list."] }, actions };
  }
  return { ok: true, filter: toSupporterFilter(campaignId, values), values, params: filterParams(values), actions };
}
