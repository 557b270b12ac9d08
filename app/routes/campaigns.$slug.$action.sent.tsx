import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { getPublicCampaign } from "#db/queries/campaigns";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { IconBadge } from "../components/icons";
import { NextActions } from "../components/next-actions";
import { requestLanguage } from "../i18n/language.server";
import { metaMessages } from "../i18n";
import { notFound } from "../lib/http.server";
import { useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).sent.title} — Inkwell` }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaign = await getPublicCampaign(db(), params.slug ?? "", requestLanguage(request));
  const action = campaign?.actions.find((a) => a.slug === params.action);
  if (!campaign || !action) notFound();
  return {
    campaignSlug: campaign.slug,
    campaignLanguage: campaign.language,
    letter: action.kind === "letter",
    // Only the action just taken is known here: whether an address took others is never shown to whoever typed it.
    next: campaign.status === "live" ? campaign.actions.filter((a) => a.id !== action.id).map((a) => ({ slug: a.slug, title: a.title })) : [],
  };
}

export default function SentPage() {
  const { campaignSlug, letter, next, campaignLanguage } = useLoaderData<typeof loader>();
  const t = useMessages();
  return (
    <section className="panel narrow status-panel" aria-live="polite">
      <IconBadge name="mail" />
      <h1>{t.sent.title}</h1>
      <p className="status-body">{letter ? t.letterAction.sentBody : t.sent.body}</p>
      <p className="hint">{letter ? t.letterAction.sentSpam : t.sent.spam}</p>
      <NextActions campaignSlug={campaignSlug} actions={next} language={campaignLanguage} />
      <p className="status-foot"><Link to={`/campaigns/${campaignSlug}`}>{t.sent.back}</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
