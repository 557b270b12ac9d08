import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

// Fixed sizes: the charts draw in the browser (Recharts measures on the client); the data tables
// under each one carry the same numbers for screen readers and for pages read without JavaScript.
const W = 480;
const H = 240;
const ACCENT = "#8c2f1b";
const SOFT = "#d9a38f";
const INK = "#5f6368";

/** A chart with its caption and the same data as a table in a <details>. */
export function ChartFigure({ title, summary, children, head, rows }: { title: string; summary: string; children: ReactNode; head: string[]; rows: (string | number)[][] }) {
  return (
    <figure className="chart">
      <figcaption><h2>{title}</h2><p className="hint">{summary}</p></figcaption>
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
      <Bar dataKey="signed" name="Signed" fill={SOFT} isAnimationActive={false} />
      <Bar dataKey="confirmed" name="Confirmed" fill={ACCENT} isAnimationActive={false} />
    </BarChart>
  );
}

/** Confirmed to date, day by day, against the campaign's goal. */
export function CumulativeChart({ data, goal }: { data: { day: string; confirmed: number }[]; goal: number }) {
  const top = Math.max(goal, ...data.map((d) => d.confirmed)) * 1.05;
  return (
    <LineChart width={W} height={H} data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="day" tickFormatter={short} tick={{ fontSize: 11, fill: INK }} minTickGap={12} />
      <YAxis allowDecimals={false} domain={[0, Math.ceil(top) || 1]} tick={{ fontSize: 11, fill: INK }} width={48} />
      <Tooltip />
      {goal > 0 ? <ReferenceLine y={goal} stroke={INK} strokeDasharray="6 4" label={{ value: `Goal ${goal.toLocaleString("en")}`, position: "insideTopLeft", fontSize: 11 }} /> : null}
      <Line type="monotone" dataKey="confirmed" name="Confirmed to date" stroke={ACCENT} strokeWidth={2} dot={false} isAnimationActive={false} />
    </LineChart>
  );
}

/** Horizontal bars, one per label (countries, officials). */
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
