import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { getPublicCampaign } from "#db/queries/campaigns";
import { letterActionView } from "#db/queries/letters";
import { textDirection } from "#core/rules";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Progress } from "../components/progress";
import { SignForm } from "../components/sign-form";
import { HowItWorks } from "../components/steps";
import { requestLanguage } from "../i18n/language.server";
import { countryOptions } from "../lib/countries";
import { notFound } from "../lib/http.server";
import { handleSign } from "../lib/sign.server";
import { shareMeta } from "../lib/share-meta";
import { shareTags } from "../lib/share-tags.server";
import { limitHeaders } from "../lib/rate-limit.server";
import { useMessages } from "../root";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.action.title} — ${data.campaign.title}` : "Inkwell" },
  { name: "description", content: data?.action.ask.slice(0, 160) ?? "" },
  ...shareMeta(data?.share),
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const language = requestLanguage(request);
  const campaign = await getPublicCampaign(db(), params.slug ?? "", language);
  const action = campaign?.actions.find((a) => a.slug === params.action);
  if (!campaign || !action) notFound();
  const view = action.kind === "letter" ? await letterActionView(db(), action.id, language) : undefined;
  return {
    campaign: { slug: campaign.slug, title: campaign.title, status: campaign.status, language: campaign.language },
    action,
    letter: view?.template ? { ...view, template: view.template } : undefined,
    countries: countryOptions(language),
    share: shareTags(
      { ...campaign, title: `${action.title} — ${campaign.title}`, description: action.ask },
      `/campaigns/${campaign.slug}/${action.slug}`,
      language,
    ),
  };
}

export const headers = limitHeaders;

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleSign(request, params, context);
}

export default function ActionPage() {
  const { campaign, action, countries, letter } = useLoaderData<typeof loader>();
  const t = useMessages();
  const open = campaign.status === "live";
  return (
    <article className="action-page">
      <p className="breadcrumb" lang={campaign.language}><Link to={`/campaigns/${campaign.slug}`}><span aria-hidden="true">← </span>{campaign.title}</Link></p>
      <div className={letter ? "action-layout letter-layout" : "action-layout"}>
        <div className="ask">
          <h1 lang={campaign.language} dir={textDirection(campaign.language)}>{action.title}</h1>
          <Progress count={action.count} goal={action.goal} unit={action.kind === "letter" ? "letters" : "signatures"} />
          <blockquote className="ask-text" lang={campaign.language} dir={textDirection(campaign.language)}>{action.ask}</blockquote>
        </div>
        <section className="panel sign-panel" aria-labelledby="sign-heading">
          <h2 id="sign-heading" tabIndex={-1}>{letter ? t.letter.heading : t.sign.heading}</h2>
          {open ? <SignForm countries={countries} letter={letter} /> : <p className="notice" role="status">{t.sign.closed}</p>}
        </section>
        <HowItWorks className="action-steps" />
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
