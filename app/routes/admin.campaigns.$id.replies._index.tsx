import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listReplies } from "#db/queries/replies";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaignAccess } from "../lib/roles.server";

export const meta: MetaFunction = () => [{ title: "Replies — Inkwell workspace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const replies = await listReplies(db(), campaign.id);
  return {
    campaignId: campaign.id,
    replies: replies.map((r) => ({
      id: r.id, subject: r.subject || "(no subject)", official: r.official, from: r.from_address, batch: r.seq,
      receivedAt: r.received_at.toISOString(), published: r.published_at !== null,
    })),
  };
}

/** The reply inbox: what officials answered to the campaign's batches. */
export default function RepliesInbox() {
  const { campaignId, replies } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head"><h2>Replies from officials</h2></div>
      {replies.length === 0 ? <p className="hint">No replies yet. Officials who answer a batch land here.</p> : (
        <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Official</th><th>Subject</th><th>From</th><th>Batch</th><th>Received (UTC)</th><th>Published</th></tr></thead>
          <tbody>
            {replies.map((r) => (
              <tr key={r.id}>
                <td>{r.official}</td>
                <td><Link to={`/admin/campaigns/${campaignId}/replies/${r.id}`}>{r.subject}</Link></td>
                <td>{r.from}</td>
                <td>#{r.batch}</td>
                <td>{r.receivedAt.slice(0, 16).replace("T", " ")}</td>
                <td>{r.published ? "Yes" : "No"}</td>
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
