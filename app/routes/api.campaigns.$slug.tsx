// Express answers GET /api/campaigns/:slug before Remix does (server/web.ts, docs/decisions/api-fast-path.md):
// this loader runs only when that handler is bypassed. Change campaignApiAnswer, never one side alone.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { campaignApiAnswer } from "../lib/api.server";

/** GET /api/campaigns/:slug: one campaign and its actions' confirmed counts (server/web.ts answers it first, with the same bytes). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const answer = await campaignApiAnswer(params.slug ?? "", new URL(request.url).searchParams.get("lang"));
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
