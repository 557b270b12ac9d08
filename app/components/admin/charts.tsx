import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

// Fixed sizes: the charts draw in the browser (Recharts measures on the client); the data tables
// under each one carry the same numbers for screen readers and for pages read without JavaScript.
const W = 480;
const H = 240;
// Every colour that carries data is at least 3:1 against the white card, and the two series drawn
// side by side are at least 3:1 against each other (WCAG 1.4.11); tests/unit/chart-colours.test.ts checks.
export const CHART_COLOURS = {
  background: "#ffffff",
  /** A single series, and the part of the goal reached (8.3:1). */
  accent: "#8c2f1b",
  /** Signed, beside confirmed (3.9:1 on white, 4.7:1 against `confirmed`). */
  signed: "#c8643f",
  confirmed: "#2b0a04",
  /** Axis text and the goal's outline (6.1:1). */
  ink: "#5f6368",
} as const;
const { accent: ACCENT, signed: SIGNED, confirmed: CONFIRMED, ink: INK } = CHART_COLOURS;

/** A chart with its caption and the same data as a table in a <details>. */
export function ChartFigure({ title, summary, lead, children, head, rows }: { title: string; summary: string; lead?: ReactNode; children: ReactNode; head: string[]; rows: (string | number)[][] }) {
  return (
    <figure className="chart">
      <figcaption><h2>{title}</h2><p className="hint">{summary}</p></figcaption>
      {lead}
      <div className="chart-canvas" role="img" aria-label={`${title}: ${summary}`}>{children}</div>
      <details>
        <summary>Data table</summary>
        <table className="data">
          <thead><tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
          <tbody>{rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j} className={typeof c === "number" ? "num" : undefined}>{typeof c === "number" ? c.toLocaleString("en") : c}</td>)}</tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

const short = (day: string) => day.slice(5);

/** Signatures per day: everyone who signed, and those who confirmed. */
export function PerDayChart({ data }: { data: { day: string; signed: number; confirmed: number }[] }) {
  return (
    <BarChart width={W} height={H} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="day" tickFormatter={short} tick={{ fontSize: 11, fill: INK }} minTickGap={12} />
      <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: INK }} width={40} />
      <Tooltip />
      <Legend />
      <Bar dataKey="signed" name="Signed" fill={SIGNED} isAnimationActive={false} />
      <Bar dataKey="confirmed" name="Confirmed" fill={CONFIRMED} isAnimationActive={false} />
    </BarChart>
  );
}

/**
 * How far the campaign is toward its goal: a bar filled to the share reached, drawn on the server
 * (it shows without JavaScript), then the growth in the period on its own scale, so a small
 * campaign's climb is not a flat line at the bottom of a goal-sized axis.
 */
export function GoalProgress({ total, goal }: { total: number; goal: number }) {
  const share = goal > 0 ? Math.min(total / goal, 1) : 0;
  const label = goal > 0 ? `${total.toLocaleString("en")} of ${goal.toLocaleString("en")} (${(share * 100).toFixed(1)}%)` : `${total.toLocaleString("en")} confirmed, no goal set`;
  return (
    <svg className="goal-progress" viewBox="0 0 480 56" width="100%" role="img" aria-label={`Toward the goal: ${label}`}>
      <rect x="1" y="8" width="478" height="24" rx="4" fill={CHART_COLOURS.background} stroke={INK} strokeWidth="2" />
      {share > 0 ? <rect x="1" y="8" width={Math.max(478 * share, 4)} height="24" rx="4" fill={ACCENT} /> : null}
      <text x="2" y="50" fontSize="13" fill={INK}>{label}</text>
    </svg>
  );
}

/** Confirmed to date, day by day, on a scale that fits the period (the goal line shows when it is in view). */
export function CumulativeChart({ data, goal }: { data: { day: string; confirmed: number }[]; goal: number }) {
  const high = Math.max(1, ...data.map((d) => d.confirmed));
  const low = Math.min(...data.map((d) => d.confirmed), high);
  const goalInView = goal > 0 && goal <= high * 1.5;
  const top = Math.ceil((goalInView ? Math.max(goal, high) : high) * 1.05);
  const bottom = Math.max(0, Math.floor(low - (high - low) * 0.2));
  return (
    <LineChart width={W} height={H} data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="day" tickFormatter={short} tick={{ fontSize: 11, fill: INK }} minTickGap={12} />
      <YAxis allowDecimals={false} domain={[bottom, top || 1]} tick={{ fontSize: 11, fill: INK }} width={48} />
      <Tooltip />
      {goalInView ? <ReferenceLine y={goal} stroke={INK} strokeDasharray="6 4" label={{ value: `Goal ${goal.toLocaleString("en")}`, position: "insideTopLeft", fontSize: 11 }} /> : null}
      <Line type="monotone" dataKey="confirmed" name="Confirmed to date" stroke={ACCENT} strokeWidth={2} dot={false} isAnimationActive={false} />
    </LineChart>
  );
}

/** Horizontal bars, one per label (countries by name, officials). */
export function RankedBars({ data, label, value, name, labelWidth = 48 }: { data: Record<string, string | number>[]; label: string; value: string; name: string; labelWidth?: number }) {
  const height = Math.max(80, data.length * 28 + 40);
  return (
    <BarChart width={W} height={height} data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11, fill: INK }} />
      <YAxis type="category" dataKey={label} width={labelWidth} tick={{ fontSize: 11, fill: INK }} />
      <Tooltip />
      <Bar dataKey={value} name={name} fill={ACCENT} isAnimationActive={false} />
    </BarChart>
  );
}
