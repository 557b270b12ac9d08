import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { isLanguage } from "../i18n";
import { languageCookie } from "../i18n/language.server";
import { safeLocalPath } from "../lib/http.server";

// A plain link switches language, so the switcher works without JavaScript.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const to = url.searchParams.get("to");
  const back = safeLocalPath(url.searchParams.get("back"));
  if (!isLanguage(to)) return redirect(back);
  return redirect(back, { headers: { "Set-Cookie": languageCookie(to), "Cache-Control": "no-store" } });
}
