import { UNSAFE_RemixContext, useLocation, useMatches } from "@remix-run/react";
import { useContext } from "react";
import { UNSAFE_DataRouterStateContext } from "react-router-dom";
import type { Messages } from "../i18n";

type Reply = { status?: unknown; error?: unknown };

/** Whether a form's answer carries errors: a Conform reply with status "error", or an `error` message. */
function failed(reply: unknown): boolean {
  if (!reply || typeof reply !== "object") return false;
  const r = reply as Reply;
  return r.status === "error" || (typeof r.error === "string" && r.error !== "");
}

/** The title the page's own meta gives it (the deepest route that has one, as Remix does). */
function usePageTitle(): string | undefined {
  const routeModules = useContext(UNSAFE_RemixContext)?.routeModules ?? {};
  const matches = useMatches();
  const location = useLocation();
  const metaMatches = matches.map((m) => ({ ...m, meta: [] }));
  for (let i = matches.length - 1; i >= 0; i--) {
    const match = matches[i]!;
    const meta = routeModules[match.id]?.meta;
    if (typeof meta !== "function") continue;
    try {
      const descriptors: unknown[] = meta({ data: match.data, params: match.params, location, matches: metaMatches, error: undefined } as never) ?? [];
      const found = descriptors.find((d): d is { title: string } => Boolean(d) && typeof (d as { title?: unknown }).title === "string");
      if (found) return found.title;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A `<title>` that says the page is an error — after a form came back with mistakes, or when the
 * page itself failed — rendered before the route's own title so browsers and screen readers use it
 * first, with or without JavaScript. Renders nothing on an ordinary page.
 */
export function ErrorTitle({ t, errorHeading }: { t: Messages; errorHeading: (status: number) => string }) {
  const state = useContext(UNSAFE_DataRouterStateContext);
  const pageTitle = usePageTitle();
  const routeError = state?.errors ? Object.values(state.errors)[0] : undefined;
  if (routeError !== undefined) {
    const status = typeof (routeError as { status?: unknown })?.status === "number" ? (routeError as { status: number }).status : 500;
    return <title>{`${t.a11y.errorTitle(errorHeading(status))} — Inkwell`}</title>;
  }
  const formFailed = Object.values(state?.actionData ?? {}).some(failed);
  if (!formFailed) return null;
  return <title>{t.a11y.errorTitle(pageTitle ?? "Inkwell")}</title>;
}
