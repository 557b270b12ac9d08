import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listLiveCampaigns } from "#db/queries/campaigns";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Progress } from "../components/progress";
import { HowItWorks } from "../components/steps";
import { metaMessages } from "../i18n";
import { requestLanguage } from "../i18n/language.server";
import { shownImageUrl } from "../lib/image-hosts.server";
import { useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => {
  const t = metaMessages(matches);
  return [{ title: `Inkwell — ${t.siteTagline}` }, { name: "description", content: t.home.intro }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const campaigns = await listLiveCampaigns(db(), requestLanguage(request));
  return { campaigns: campaigns.map((c) => ({ ...c, imageUrl: shownImageUrl(c.imageUrl) })) };
}

export default function Home() {
  const { campaigns } = useLoaderData<typeof loader>();
  const t = useMessages();
  return (
    <>
      <section className="hero">
        <h1>{t.home.title}</h1>
        <p className="lede">{t.home.intro}</p>
      </section>
      <section aria-labelledby="live-campaigns">
        <h2 id="live-campaigns" className="section-title">{t.home.live}</h2>
        {campaigns.length === 0 ? <p className="panel">{t.home.none}</p> : null}
        <ul className="card-grid">
          {campaigns.map((c) => (
            <li key={c.id}>
              <article className="card campaign-card">
                {c.imageUrl ? <img className="card-image" src={c.imageUrl} alt="" loading="lazy" referrerPolicy="no-referrer" /> : null}
                <h3 id={`campaign-${c.slug}`} lang={c.language}><Link to={`/campaigns/${c.slug}`}>{c.title}</Link></h3>
                <p className="card-summary" lang={c.language}>{c.summary}</p>
                <div className="card-foot">
                  <Progress count={c.count} goal={c.goal} unit="actionsTaken" />
                  <Link to={`/campaigns/${c.slug}`} className="button primary" aria-describedby={`campaign-${c.slug}`}>{t.home.open}</Link>
                </div>
              </article>
            </li>
          ))}
        </ul>
      </section>
      <HowItWorks className="steps-band" />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
