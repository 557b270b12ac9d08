import { useRouteLoaderData } from "@remix-run/react";

/** The hidden anti-forgery field every workspace form carries; the token comes from the workspace layout. */
export function CsrfInput() {
  const data = useRouteLoaderData<{ csrf: string }>("routes/admin");
  return <input type="hidden" name="csrf" value={data?.csrf ?? ""} />;
}
