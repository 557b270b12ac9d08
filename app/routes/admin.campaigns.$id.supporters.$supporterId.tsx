import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { supporterHistory } from "#db/queries/supporter-history";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaignAccess } from "../lib/roles.server";
import { notFound } from "../lib/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const supporterId = Number(params.supporterId);
  if (!Number.isSafeInteger(supporterId) || supporterId <= 0) notFound();
  // Someone who never signed this campaign does not exist here, whoever they are elsewhere.
  const history = await supporterHistory(db(), campaign.id, supporterId);
  if (!history) notFound();
  return history;
}

const when = (d: string | Date | null) => (d ? new Date(d).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "—");

export default function SupporterHistory() {
  const { supporter, signatures, recipients, consents, emails } = useLoaderData<typeof loader>();
  const name = signatures[signatures.length - 1]?.name ?? "Supporter";
  return (
    <div className="workspace">
      <p><Link to="..">← All supporters</Link></p>
      <h2>{name}</h2>
      <dl className="facts">
        <dt>Email</dt><dd>{supporter.email ?? <em>erased {when(supporter.erased_at)}</em>}</dd>
        <dt>Language</dt><dd>{supporter.language}</dd>
        <dt>First seen</dt><dd>{when(supporter.created_at)}</dd>
        <dt>Emails sent</dt><dd>{`${emails.confirmations} confirmation and reminder emails, ${emails.updates} updates`}</dd>
      </dl>

      <h3>Signatures and letters</h3>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Call to action</th><th>Status</th><th>Signed</th><th>Confirmed</th><th>Letter</th><th>Delivered to</th></tr></thead>
          <tbody>
            {signatures.map((s) => (
              <tr key={s.id}>
                <td>{s.action_slug}</td>
                <td>
                  <span className={`badge ${s.status}`}>{s.status}</span>
                  {s.invalidated_reason ? <div className="hint">Reason: {s.invalidated_reason}</div> : null}
                  {s.held_at ? <div className="hint">Held: {s.held_reason ?? "suspicious"}</div> : null}
                </td>
                <td>{when(s.created_at)}</td>
                <td>{when(s.confirmed_at)}</td>
                <td>{s.kind === "letter" ? <>{s.subject}{s.edited ? " (edited)" : ""}</> : "—"}</td>
                <td>
                  {recipients.filter((r) => r.signature_id === s.id).map((r) => (
                    <div key={r.target_name}>
                      {r.target_name}: {r.delivery_id ? <>batch {r.seq} <span className={`badge ${r.delivery_status}`}>{r.delivery_status}</span> {r.sent_at ? when(r.sent_at) : ""}</> : "waiting"}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>Consents</h3>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Kind</th><th>Wording they saw</th><th>Language</th><th>Given</th><th>Withdrawn</th></tr></thead>
          <tbody>
            {consents.length === 0 ? <tr><td colSpan={5}>None recorded.</td></tr> : null}
            {consents.map((c) => (
              <tr key={c.id}>
                <td>{c.kind.replace("_", " ")}</td>
                <td><blockquote className="wording">{c.wording}</blockquote></td>
                <td>{c.language}</td>
                <td>{when(c.given_at)}</td>
                <td>{when(c.withdrawn_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
