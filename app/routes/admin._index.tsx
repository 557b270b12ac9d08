import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listWorkspaceCampaigns } from "#db/queries/workspace-campaigns";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaigner } from "../lib/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireCampaigner(request);
  return { campaigns: await listWorkspaceCampaigns(db(), session.campaigner) };
}

export default function CampaignList() {
  const { campaigns } = useLoaderData<typeof loader>();
  return (
    <section>
      <div className="page-head">
        <h1>Campaigns</h1>
        <Link to="/admin/campaigns/new" className="button primary">New campaign</Link>
      </div>
      {campaigns.length === 0 ? (
        <p className="notice">No campaigns yet. Start one: it stays a draft, visible only here, until you launch it.</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="data">
            <thead>
              <tr><th>Campaign</th><th>Status</th><th className="num">Calls to action</th><th className="num">Confirmed</th><th className="num">Goal</th></tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <td><Link to={`/admin/campaigns/${c.id}`}>{c.title}</Link></td>
                  <td><span className={`badge ${c.status}`}>{c.status}</span></td>
                  <td className="num">{c.actions}</td>
                  <td className="num">{c.confirmed.toLocaleString("en")}</td>
                  <td className="num">{c.goal.toLocaleString("en")}</td>
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
