import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { Messages } from "../i18n";
import { useMessages } from "../root";

/** The heading of the error page for a status: also what its `<title>` says. */
export function errorHeading(t: Messages, status: number): string {
  if (status === 404) return t.notFound.title;
  if (status === 503) return t.unavailable.title;
  return t.error.titles[status] ?? t.error.title;
}

/** The one error page every route shares: a real 404 page, a kind message for everything else. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useMessages();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404) {
    return (
      <section className="panel narrow">
        <h1>{t.notFound.title}</h1>
        <p>{t.notFound.body}</p>
        <p><Link to="/" className="button">{t.notFound.home}</Link></p>
      </section>
    );
  }
  if (status === 503) {
    // The database is away: what was sent was not saved, and trying again shortly will work.
    return (
      <section className="panel narrow">
        <p className="eyebrow">{t.error.status(status)}</p>
        <h1>{t.unavailable.title}</h1>
        <p>{t.unavailable.body}</p>
        <p><Link to="." reloadDocument className="button">{t.unavailable.retry}</Link></p>
      </section>
    );
  }
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  return (
    <section className="panel narrow">
      <p className="eyebrow">{t.error.status(status)}</p>
      <h1>{(detail && t.error.titles[status]) || t.error.title}</h1>
      <p>{detail ?? t.error.body}</p>
      <p><Link to="/" className="button">{t.notFound.home}</Link></p>
    </section>
  );
}
