import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listUpdates } from "#db/queries/updates";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaignAccess } from "../lib/roles.server";

export const meta: MetaFunction = () => [{ title: "Updates — Inkwell workspace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const updates = await listUpdates(db(), campaign.id);
  return {
    campaignId: campaign.id,
    updates: updates.map((u) => ({
      id: u.id, subject: u.subject ?? "(no subject)", status: u.status, stats: u.stats, audience_action_id: u.audience_action_id, audience_delivery_id: u.audience_delivery_id,
      when: (u.sent_at ?? u.scheduled_for ?? u.created_at).toISOString(),
    })),
  };
}

/** The campaign's updates with their figures: audience, sent, failed, unsubscribed since. */
export default function UpdatesList() {
  const { campaignId, updates } = useLoaderData<typeof loader>();
  const base = `/admin/campaigns/${campaignId}/updates`;
  return (
    <div className="stack">
      <div className="page-head">
        <h2>Updates</h2>
        <Link to={`${base}/new`} className="button primary">New update</Link>
      </div>
      {updates.length === 0 ? <p className="hint">No updates yet. Supporters who asked for news hear from you here.</p> : (
        <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead>
            <tr><th>Subject</th><th>Status</th><th>When (UTC)</th><th>Audience</th><th>Sent</th><th>Failed</th><th>Unsubscribed since</th></tr>
          </thead>
          <tbody>
            {updates.map((u) => (
              <tr key={u.id}>
                <td><Link to={`${base}/${u.id}`}>{u.subject}</Link></td>
                <td><span className={`badge ${u.status}`}>{u.status}</span></td>
                <td>{u.when.slice(0, 16).replace("T", " ")}</td>
                <td>
                  {u.stats.audience}
                  {u.audience_delivery_id ? <small className="hint"> (one batch&apos;s writers)</small> : u.audience_action_id ? <small className="hint"> (one call to action&apos;s supporters)</small> : null}
                </td>
                <td>{u.stats.sent}</td>
                <td>{u.stats.failed}</td>
                <td>{u.stats.unsubscribedSince}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
