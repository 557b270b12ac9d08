import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { exportSupporterData, findPrivacyRequest } from "#db/queries/privacy";
import { isWellFormedToken } from "#core/tokens";
import { notFound } from "../lib/http.server";

/** A supporter's data as a JSON file, for a live link token. */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = params.token && isWellFormedToken(params.token) ? await findPrivacyRequest(db(), params.token) : undefined;
  if (!found) notFound();
  const data = await exportSupporterData(db(), found.supporterId);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": 'attachment; filename="inkwell-my-data.json"',
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}
