import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { routeNamer } from "#server/observability";

const route = (id: string, path: string | undefined, parentId = "root", index = false) => ({ id, path, parentId: parentId || undefined, index, module: {} });

// The route table of a Remix build, as far as naming requests is concerned.
const build = {
  routes: Object.fromEntries([
    route("root", "", ""),
    route("routes/$", "*"),
    route("routes/_index", undefined, "root", true),
    route("routes/confirm.$token", "confirm/:token"),
    route("routes/letters.$ref", "letters/:ref"),
    route("routes/unsubscribe.$ref", "unsubscribe/:ref"),
    route("routes/privacy_.my-data.$token", "privacy/my-data/:token"),
    route("routes/campaigns.$slug.$action._index", "campaigns/:slug/:action", "root", true),
    route("routes/campaigns.$slug.$action.sent", "campaigns/:slug/:action/sent"),
    route("routes/admin", "admin"),
    route("routes/admin.campaigns.$id", "campaigns/:id", "routes/admin"),
    route("routes/admin_.reset-password.$token", "admin/reset-password/:token"),
  ].map((r) => [r.id, r])),
} as unknown as ServerBuild;

describe("naming requests for logs and metrics", () => {
  const name = routeNamer(build);

  it.each([
    ["/confirm/Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5", "/confirm/:token", "/confirm/:token"],
    ["/letters/12.abcdef?download=1", "/letters/:ref", "/letters/:ref"],
    ["/unsubscribe/9f8e7d6c5b4a", "/unsubscribe/:ref", "/unsubscribe/:ref"],
    ["/privacy/my-data/secret-token-value", "/privacy/my-data/:token", "/privacy/my-data/:token"],
    ["/admin/reset-password/abc123", "/admin/reset-password/:token", "/admin/reset-password/:token"],
    ["/campaigns/peru/free-them?utm=x", "/campaigns/:slug/:action", "/campaigns/peru/free-them"],
    ["/campaigns/peru/free-them/sent", "/campaigns/:slug/:action/sent", "/campaigns/peru/free-them/sent"],
    ["/admin/campaigns/12", "/admin/campaigns/:id", "/admin/campaigns/12"],
    ["/", "/", "/"],
    ["/no/such/page", "/*", "/no/such/page"],
    ["/build/entry.client-ABC.js", "/build/*", "/build/entry.client-ABC.js"],
  ])("names %s as %s, logged as %s", (path, pattern, shown) => {
    expect(name(path)).toEqual({ route: pattern, path: shown });
  });
});
