import { env } from "#core/env";
import { openApiDocument } from "../lib/openapi.server";

/** GET /api/v1/openapi.json: the API's OpenAPI description (public: it holds no data). */
export function loader() {
  return new Response(JSON.stringify(openApiDocument(env().APP_URL)), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" },
  });
}
