import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { campaignDashboard, confirmedBySource } from "#db/queries/dashboard";
import { ChartFigure, CumulativeChart, GoalProgress, PerDayChart, RankedBars } from "../components/admin/charts";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { isAdmin, requireCampaignAccess } from "../lib/roles.server";
import { queueHealth } from "../lib/queue-health.server";

const WINDOWS = [7, 30, 90] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const asked = Number(new URL(request.url).searchParams.get("days"));
  const days = (WINDOWS as readonly number[]).includes(asked) ? asked : 30;
  const [numbers, queues, sources] = await Promise.all([campaignDashboard(db(), campaign.id, days), queueHealth(), confirmedBySource(db(), campaign.id)]);
  return { numbers, queues, sources, admin: isAdmin(session.campaigner) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

// The workspace is written in English, so countries are named in English ("Peru", not "PE").
const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

export default function Dashboard() {
  const { numbers: n, queues, sources, admin } = useLoaderData<typeof loader>();
  const signedInWindow = n.series.reduce((s, p) => s + p.signed, 0);
  const countries = n.countries.map((c) => ({ ...c, country: countryName(c.country) }));
  return (
    <div className="workspace">
      <div className="stat-grid" aria-label="At a glance">
        <div className="stat"><div className="value" data-testid="confirmed-total">{n.total.toLocaleString("en")}</div><div className="label">confirmed, all time</div></div>
        <div className="stat"><div className="value">{n.goal.toLocaleString("en")}</div><div className="label">goal</div></div>
        <div className="stat"><div className="value">{signedInWindow.toLocaleString("en")}</div><div className="label">signed in the last {n.days} days</div></div>
        <div className="stat">
          <div className="value" data-testid="confirmation-rate">{pct(n.confirmation.rate)}</div>
          <div className="label">confirmed of those ({n.confirmation.confirmed.toLocaleString("en")} of {n.confirmation.signed.toLocaleString("en")})</div>
          <meter min={0} max={1} value={n.confirmation.rate} aria-label="Confirmation rate" />
        </div>
      </div>
      <nav className="button-row" aria-label="Period">
        {WINDOWS.map((d) => (d === n.days ? <strong key={d}>{d} days</strong> : <Link key={d} to={`?days=${d}`}>{d} days</Link>))}
      </nav>
      <div className="chart-grid wide">
        <ChartFigure title="Signatures per day" summary={`${signedInWindow.toLocaleString("en")} signed and ${n.confirmation.confirmed.toLocaleString("en")} confirmed in the last ${n.days} days (UTC days).`}
          head={["Day", "Signed", "Confirmed"]} rows={n.series.map((p) => [p.day, p.signed, p.confirmed])}>
          <PerDayChart data={n.series} />
        </ChartFigure>
        <ChartFigure title="Confirmed against the goal" summary={`${n.total.toLocaleString("en")} of ${n.goal.toLocaleString("en")} (${pct(n.goal ? n.total / n.goal : 0)}).`}
          lead={<GoalProgress total={n.total} goal={n.goal} />}
          head={["Day", "Confirmed to date"]} rows={n.cumulative.map((p) => [p.day, p.confirmed])}>
          <CumulativeChart data={n.cumulative} goal={n.goal} />
        </ChartFigure>
        <ChartFigure title="Confirmed by country" summary={n.countries.length ? `Top ${n.countries.length} countries in the last ${n.days} days.` : "No confirmed signatures in this period."}
          head={["Country", "Confirmed"]} rows={countries.map((c) => [c.country, c.confirmed])}>
          <RankedBars data={countries} label="country" value="confirmed" name="Confirmed" labelWidth={120} />
        </ChartFigure>
        <ChartFigure title="Letters delivered per official" summary={n.officials.length ? `${n.officials.reduce((s, o) => s + o.delivered, 0).toLocaleString("en")} delivered in all.` : "Nothing delivered yet."}
          head={["Official", "Delivered"]} rows={n.officials.map((o) => [o.name, o.delivered])}>
          <RankedBars data={n.officials} label="name" value="delivered" name="Delivered" labelWidth={150} />
        </ChartFigure>
      </div>
      <section aria-labelledby="by-source">
        <h2 id="by-source">Confirmed by source</h2>
        {sources.length ? (
          <div className="table-wrap" tabIndex={0}>
            <table className="data">
              <thead><tr><th>Source</th><th className="num">Confirmed</th></tr></thead>
              <tbody>
                {sources.map((s) => <tr key={s.source}><td>{s.source}</td><td className="num">{s.confirmed}</td></tr>)}
              </tbody>
            </table>
          </div>
        ) : <p>No confirmed signatures yet.</p>}
      </section>
      <section aria-labelledby="queue-health">
        <h2 id="queue-health">Queue health</h2>
        {queues ? (
          <div className="table-wrap" tabIndex={0}>
            <table className="data">
              <thead><tr><th>Queue</th><th className="num">Waiting</th><th className="num">Active</th><th className="num">Delayed</th><th className="num">Failed</th></tr></thead>
              <tbody>
                {queues.map((q) => (
                  <tr key={q.name}><td>{q.name}</td><td className="num">{q.waiting}</td><td className="num">{q.active}</td><td className="num">{q.delayed}</td><td className="num">{q.failed ? <span className="badge failed">{q.failed}</span> : 0}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p className="form-error" role="status">The queues are not answering right now: Redis may be down. Signatures are still saved and will be sent once it is back.</p>}
        {admin ? <p className="hint"><a href="/admin/queues">Open the queue dashboard</a></p> : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
