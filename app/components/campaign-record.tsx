import type { CampaignRecord, PublicOutcome } from "../lib/outcomes.server";
import { formatNumber, type Language, type Messages } from "../i18n";

type Titles = Record<string, string>;

interface RecordProps {
  record: CampaignRecord;
  t: Messages;
  language: Language;
  /** Formats a yyyy-mm-dd date for the reader. */
  date: (day: string) => string;
  /** Call to action titles by slug. */
  titles: Titles;
}

/** The outcome of the campaign or of one call to action, as one line and the team's summary. */
export function OutcomeNote({ outcome, t, date }: { outcome: PublicOutcome; t: Messages; date: (day: string) => string }) {
  return (
    <div className={`outcome outcome-${outcome.outcome}`} role="status">
      <p><strong>{t.outcomes.outcome(t.outcomes.label[outcome.outcome], date(outcome.date))}</strong></p>
      <p style={{ whiteSpace: "pre-wrap" }}>{outcome.summary}</p>
    </div>
  );
}

/** What happened, in order: batches delivered, replies published, responses, results and outcomes. */
export function Timeline({ record, t, language, date, titles }: RecordProps) {
  const forAction = (slug: string | null) => (slug && titles[slug] ? <span className="hint"> · {t.outcomes.forAction(titles[slug])}</span> : null);
  return (
    <section className="timeline" aria-labelledby="timeline">
      <h2 id="timeline">{t.outcomes.timelineTitle}</h2>
      {record.timeline.length === 0 ? <p className="hint">{t.outcomes.timelineEmpty}</p> : (
        <ol className="timeline-list">
          {record.timeline.map((e, i) => (
            <li key={i} className={`timeline-${e.kind}`}>
              <time dateTime={e.date}>{date(e.date)}</time>{" "}
              {e.kind === "delivery" ? (
                <span>{t.outcomes.delivered(e.official, formatNumber(e.letters, language))}{forAction(e.action)}</span>
              ) : e.kind === "reply" ? (
                <>
                  <strong>{t.outcomes.replied(e.official)}</strong>
                  <blockquote style={{ whiteSpace: "pre-wrap" }}>{e.text}</blockquote>
                </>
              ) : e.kind === "outcome" ? (
                <span>
                  <strong>{t.outcomes.outcome(t.outcomes.label[e.outcome], date(e.date))}</strong>{forAction(e.action)}
                  <span style={{ display: "block", whiteSpace: "pre-wrap" }}>{e.summary}</span>
                </span>
              ) : (
                <span>
                  <strong>{e.kind === "response" ? t.outcomes.response(e.who) : t.outcomes.result(e.who)}</strong>{forAction(e.action)}
                  <span style={{ display: "block", whiteSpace: "pre-wrap" }}>{e.what}</span>
                  {e.link ? <a href={e.link} rel="noopener noreferrer nofollow ugc">{t.outcomes.source}: {hostOf(e.link)}</a> : null}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function hostOf(link: string): string {
  try {
    return new URL(link).hostname;
  } catch {
    return link;
  }
}

/** Letters delivered, batches answered and median days to a reply, per official, with the caveats beside them. */
export function Responsiveness({ record, t, language }: Omit<RecordProps, "date" | "titles">) {
  const r = record.responsiveness;
  if (r.officials.length === 0) return null;
  const n = (v: number) => formatNumber(v, language);
  const days = (v: number | null) => (v === null ? t.outcomes.noFigure : v.toLocaleString(language, { maximumFractionDigits: 1 }));
  const few = (batches: number) => (batches < r.fewBatches ? <small className="hint"> ({t.outcomes.fewBatches})</small> : null);
  return (
    <section className="responsiveness" aria-labelledby="responsiveness">
      <h2 id="responsiveness">{t.outcomes.responsivenessTitle}</h2>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t.outcomes.official}</th>
              <th scope="col" className="num">{t.outcomes.letters}</th>
              <th scope="col" className="num">{t.outcomes.batches}</th>
              <th scope="col" className="num">{t.outcomes.answered}</th>
              <th scope="col" className="num">{t.outcomes.medianDays}</th>
              <th scope="col">{t.outcomes.everywhere}</th>
            </tr>
          </thead>
          <tbody>
            {r.officials.map((o) => (
              <tr key={o.id} data-official={o.id}>
                <th scope="row">{o.name}<small className="hint"> · {o.title}</small></th>
                <td className="num">{n(o.campaign.letters)}</td>
                <td className="num">{n(o.campaign.batches)}{few(o.campaign.batches)}</td>
                <td className="num">{n(o.campaign.answered)}</td>
                <td className="num">{days(o.campaign.medianDays)}</td>
                <td>{n(o.everywhere.letters)} · {n(o.everywhere.answered)}/{n(o.everywhere.batches)} · {days(o.everywhere.medianDays)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.outcomes.allOfficials}</th>
              <td className="num">{n(r.campaign.letters)}</td>
              <td className="num">{n(r.campaign.batches)}{few(r.campaign.batches)}</td>
              <td className="num">{n(r.campaign.answered)}</td>
              <td className="num">{days(r.campaign.medianDays)}</td>
              <td></td>
            </tr>
          </tfoot>
        </table>
      </div>
      <h3>{t.outcomes.caveatsTitle}</h3>
      <ul className="caveats">
        {t.outcomes.caveats.map((c) => <li key={c}>{c}</li>)}
      </ul>
    </section>
  );
}
