import type { LoaderFunctionArgs } from "@remix-run/node";
import { CURIES, MAX_PAGE_SIZE, apiBase, hal, requireApiCaller } from "../lib/osdi.server";

/** GET /api/v1: the OSDI entry point, linking the collections this key may use. */
export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request, "read");
  const base = apiBase();
  const people = caller.scopes.includes("people");
  return hal({
    motd: "Inkwell OSDI API",
    vendor_name: "Inkwell",
    product_name: "Inkwell",
    osdi_version: "1.1",
    max_pagesize: MAX_PAGE_SIZE,
    namespace: "inkwell",
    _links: {
      curies: CURIES,
      self: { href: base },
      "osdi:petitions": { href: `${base}/petitions` },
      "osdi:advocacy_campaigns": { href: `${base}/advocacy_campaigns` },
      ...(people ? { "osdi:people": { href: `${base}/people` } } : {}),
      docs: { href: `${base.replace(/\/v1$/, "")}/docs` },
    },
  });
}
