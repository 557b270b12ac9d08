import { z } from "zod";
import { outreachHelperSchema, signatureHelperSchema } from "../forms/osdi";
import { TOKEN_HEADER } from "./osdi.server";

interface Operation {
  method: "get" | "post";
  path: string;
  summary: string;
  scope: "read" | "people" | "write";
  body?: z.ZodType;
  paged?: boolean;
}

/** Every operation of the OSDI API, the source of both the OpenAPI document and the docs page. */
export const OPERATIONS: Operation[] = [
  { method: "get", path: "/api/v1", summary: "Entry point: links to the collections this key may use.", scope: "read" },
  { method: "get", path: "/api/v1/petitions", summary: "Petitions of the campaigns the key reaches, with confirmed counts.", scope: "read", paged: true },
  { method: "get", path: "/api/v1/petitions/{id}", summary: "One petition.", scope: "read" },
  { method: "get", path: "/api/v1/petitions/{id}/signatures", summary: "Confirmed signatures, oldest first; held, anonymised and erased ones are left out.", scope: "people", paged: true },
  { method: "get", path: "/api/v1/petitions/{id}/signatures/{signatureId}", summary: "One confirmed signature.", scope: "people" },
  {
    method: "post",
    path: "/api/v1/petitions/{id}/record_signature_helper",
    summary: "Sign for a supporter. The same checks, limits and holds as the web form apply, and the supporter confirms by email before it counts. Answers 202.",
    scope: "write",
    body: signatureHelperSchema,
  },
  { method: "get", path: "/api/v1/advocacy_campaigns", summary: "Letter actions of the campaigns the key reaches, with their officials and template.", scope: "read", paged: true },
  { method: "get", path: "/api/v1/advocacy_campaigns/{id}", summary: "One letter action.", scope: "read" },
  { method: "get", path: "/api/v1/advocacy_campaigns/{id}/outreaches", summary: "Confirmed letters, oldest first, with subject, text and officials.", scope: "people", paged: true },
  { method: "get", path: "/api/v1/advocacy_campaigns/{id}/outreaches/{outreachId}", summary: "One confirmed letter.", scope: "people" },
  {
    method: "post",
    path: "/api/v1/advocacy_campaigns/{id}/record_outreach_helper",
    summary: "Write a letter for a supporter, as the web form does; subject, message and targets default to the action's own. Answers 202.",
    scope: "write",
    body: outreachHelperSchema,
  },
  { method: "get", path: "/api/v1/people", summary: "Supporters with a confirmed signature in the key's campaigns; erased supporters are never listed.", scope: "people", paged: true },
  { method: "get", path: "/api/v1/people/{id}", summary: "One supporter.", scope: "people" },
];

const errorSchema = { type: "object", properties: { error: { type: "string" }, message: { type: "string" }, fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } } } };

/** The OpenAPI 3.1 description of the API; request bodies come from the zod schemas the helpers validate with. */
export function openApiDocument(baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "integer", minimum: 1 } }));
    if (op.paged) {
      parameters.push({ name: "per_page", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100 } } as never);
      parameters.push({ name: "after", in: "query", required: false, schema: { type: "integer", minimum: 0 } } as never);
    }
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      description: `Needs a key with the "${op.scope}" scope.`,
      parameters,
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(op.body, { io: "input" }) } } } } : {}),
      responses: {
        [op.method === "post" ? "202" : "200"]: { description: "HAL+JSON", content: { "application/hal+json": {} } },
        "400": { description: "Malformed parameters or body", content: { "application/hal+json": { schema: errorSchema } } },
        "401": { description: "No key, an unknown key or a revoked one" },
        "403": { description: "The key lacks the scope" },
        "404": { description: "Not found, or not in the key's campaigns" },
        "429": { description: "Too many requests with this key (see Retry-After)" },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Inkwell OSDI API", version: "1.1", description: "OSDI 1.1 resources (HAL+JSON) for the campaigns an API key reaches." },
    servers: [{ url: baseUrl }],
    components: { securitySchemes: { osdiToken: { type: "apiKey", in: "header", name: TOKEN_HEADER } } },
    security: [{ osdiToken: [] }],
    paths,
  };
}
