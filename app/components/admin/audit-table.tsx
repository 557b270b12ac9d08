import { Link } from "@remix-run/react";

export interface AuditRow {
  id: string | number;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: unknown;
  created_at: string;
  campaign_id: number | null;
  campaigner_name: string | null;
  campaigner_email: string | null;
}

/** A page of audit entries: who did what, to what, when; with a link to older entries. */
export function AuditTable({ rows, olderHref, showCampaign }: { rows: AuditRow[]; olderHref: string | null; showCampaign: boolean }) {
  if (rows.length === 0) return <p className="notice">Nothing recorded yet.</p>;
  return (
    <>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead>
            <tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Subject</th>{showCampaign ? <th>Campaign</th> : null}<th>Details</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.created_at).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{r.campaigner_name ?? "—"}{r.campaigner_email ? <><br /><small>{r.campaigner_email}</small></> : null}</td>
                <td><code>{r.action}</code></td>
                <td>{r.subject_type}{r.subject_id ? ` #${r.subject_id}` : ""}</td>
                {showCampaign ? <td>{r.campaign_id ? <Link to={`/admin/campaigns/${r.campaign_id}`}>#{r.campaign_id}</Link> : "—"}</td> : null}
                <td><code>{JSON.stringify(r.details)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {olderHref ? <p><Link to={olderHref}>Older entries →</Link></p> : null}
    </>
  );
}
