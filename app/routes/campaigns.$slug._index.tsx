import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "../../db/client";
import { getPublicCampaign } from "../../db/queries/campaigns";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Progress } from "../components/progress";
import { requestLanguage } from "../i18n/language.server";
import { notFound } from "../lib/http.server";
import { renderMarkdown } from "../lib/markdown.server";
import { useMessages } from "../root";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.campaign.title} — Inkwell` : "Inkwell" },
  { name: "description", content: data?.campaign.summary ?? "" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaign = await getPublicCampaign(db(), params.slug ?? "", requestLanguage(request));
  if (!campaign) notFound();
  return { campaign, storyHtml: renderMarkdown(campaign.story) };
}

export default function CampaignPage() {
  const { campaign, storyHtml } = useLoaderData<typeof loader>();
  const t = useMessages();
  const closed = campaign.status !== "live";
  return (
    <article className="campaign" lang={campaign.language}>
      <header className="campaign-head">
        <h1>{campaign.title}</h1>
        <p className="lede">{campaign.summary}</p>
        <Progress count={campaign.count} goal={campaign.goal} unit="actionsTaken" />
        {closed ? <p className="notice" role="status">{t.campaign.closed}</p> : null}
      </header>
      <div className="campaign-body">
        <div className="story" dangerouslySetInnerHTML={{ __html: storyHtml }} />
        <aside className="actions" aria-labelledby="act-now">
          <h2 id="act-now">{t.campaign.actNow}</h2>
          <ol className="action-list">
            {campaign.actions.map((a) => (
              <li key={a.id} className="action-card">
                <p className="eyebrow">{a.kind === "letter" ? t.campaign.letter : t.campaign.petition}</p>
                <h3><Link to={`/campaigns/${campaign.slug}/${a.slug}`}>{a.title}</Link></h3>
                <Progress count={a.count} goal={a.goal} unit="signatures" />
                {closed ? null : <Link to={`/campaigns/${campaign.slug}/${a.slug}`} className="button">{t.campaign.sign}</Link>}
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
