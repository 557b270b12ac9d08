import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listOfficials } from "#db/queries/officials";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaigner } from "../lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Officials — Inkwell workspace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCampaigner(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { q, officials: await listOfficials(db(), q, 200) };
}

export default function Officials() {
  const { q, officials } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <div className="page-head">
        <h1>Officials</h1>
        <span className="button-row">
          <Link to="/admin/officials/import" className="button">Import from CSV</Link>
          <Link to="/admin/officials/new" className="button primary">Add an official</Link>
        </span>
      </div>
      <p className="hint">The directory is shared by every campaign: letters reach the officials a call to action names.</p>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input id="q" name="q" type="search" defaultValue={q} placeholder="Name, title, organisation or email" />
        </div>
        <button type="submit" className="button">Search</button>
      </Form>
      {officials.length === 0 ? (
        <p className="notice">{q ? "No official matches that search." : "No officials yet."}</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="data">
            <thead><tr><th>Name</th><th>Title</th><th>Organisation</th><th>Country</th><th>Email</th><th>Time zone</th></tr></thead>
            <tbody>
              {officials.map((o) => (
                <tr key={o.id}>
                  <td><Link to={`/admin/officials/${o.id}`}>{o.name}</Link></td>
                  <td>{o.title}</td>
                  <td>{o.organisation}</td>
                  <td>{o.country}</td>
                  <td>
                    {o.email ?? "—"}
                    {o.email_bounced_at ? <strong className="error" title={o.email_bounce_reason ?? undefined}> Address bounced: letters held until it is corrected</strong> : null}
                  </td>
                  <td>{o.time_zone}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
