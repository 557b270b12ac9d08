import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { OutcomeNote, Responsiveness, Timeline } from "../components/campaign-record";
import { Progress } from "../components/progress";
import { requestLanguage } from "../i18n/language.server";
import { notFound } from "../lib/http.server";
import { pageVersion, publicCampaignPage } from "../lib/campaign-page.server";
import { shareMeta } from "../lib/share-meta";
import { shareTags } from "../lib/share-tags.server";
import { count } from "../i18n";
import { useLanguage, useMessages } from "../root";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.campaign.title} — Inkwell` : "Inkwell" },
  { name: "description", content: data?.campaign.summary ?? "" },
  ...shareMeta(data?.share),
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const language = requestLanguage(request);
  const data = await publicCampaignPage(params.slug ?? "", language);
  if (!data) notFound();
  // The page cache keeps this with the rendered page, to tell later whether it must render it again.
  context.keptPageVersion?.(pageVersion(data));
  const share = shareTags({ ...data.campaign, description: data.campaign.summary }, `/campaigns/${data.campaign.slug}`, language);
  return { ...data, share };
}

// The page is the same for everyone reading it in one language, so a CDN may keep it for a few
// seconds; the language comes from the cookie or Accept-Language, hence Vary.
export const headers: HeadersFunction = ({ errorHeaders }) =>
  errorHeaders ? new Headers() : { "Cache-Control": "public, max-age=5, stale-while-revalidate=30", Vary: "Cookie, Accept-Language" };

// Building an Intl formatter costs more than rendering the rest of the page: one per language.
const dateFormats: Partial<Record<string, Intl.DateTimeFormat>> = {};

export default function CampaignPage() {
  const { campaign, storyHtml, delivered, record } = useLoaderData<typeof loader>();
  const t = useMessages();
  const language = useLanguage();
  const date = (dateFormats[language] ??= new Intl.DateTimeFormat(language, { dateStyle: "long" }));
  const closed = campaign.status !== "live";
  const day = (d: string) => date.format(new Date(`${d}T12:00:00Z`));
  const titles = Object.fromEntries(campaign.actions.map((a) => [a.slug, a.title]));
  return (
    <article className="campaign" lang={campaign.language}>
      <header className="campaign-head">
        {campaign.imageUrl ? <img className="campaign-image" src={campaign.imageUrl} alt="" referrerPolicy="no-referrer" /> : null}
        <h1>{campaign.title}</h1>
        <p className="lede">{campaign.summary}</p>
        <Progress count={campaign.count} goal={campaign.goal} unit="actionsTaken" />
        {record.outcome ? <OutcomeNote outcome={record.outcome} t={t} date={day} /> : null}
        {closed ? <p className="notice" role="status">{t.campaign.closed}</p> : <a href="#act-now" className="button primary jump-to-actions">{t.campaign.actNow}</a>}
      </header>
      <div className="campaign-body">
        <div className="story" dangerouslySetInnerHTML={{ __html: storyHtml }} />
        <aside className="actions" aria-labelledby="act-now">
          <h2 id="act-now">{t.campaign.actNow}</h2>
          <ol className="action-list">
            {campaign.actions.map((a) => (
              <li key={a.id} className="action-card">
                <p className="eyebrow">{a.kind === "letter" ? t.campaign.letter : t.campaign.petition}</p>
                <h3 id={`action-${a.slug}`}><Link to={`/campaigns/${campaign.slug}/${a.slug}`}>{a.title}</Link></h3>
                <Progress count={a.count} goal={a.goal} unit={a.kind === "letter" ? "letters" : "signatures"} />
                {record.actionOutcomes.filter((o) => o.action === a.slug).map((o) => <OutcomeNote key={o.action} outcome={o} t={t} date={day} />)}
                {delivered.some((d) => d.actionId === a.id) ? (
                  <ul className="delivered">
                    {delivered.filter((d) => d.actionId === a.id).map((d) => (
                      <li key={d.targetName}>
                        {count(language, t.campaign.delivered, d.letters, { official: d.targetName, date: date.format(new Date(d.lastSentAt)) })}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {closed ? null : (
                  <Link to={`/campaigns/${campaign.slug}/${a.slug}`} className="button primary" aria-describedby={`action-${a.slug}`}>
                    {a.kind === "letter" ? t.campaign.write : t.campaign.sign}
                  </Link>
                )}
              </li>
            ))}
          </ol>
        </aside>
      </div>
      <div className="campaign-record">
        <Timeline record={record} t={t} language={language} date={day} titles={titles} />
        <Responsiveness record={record} t={t} language={language} />
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
