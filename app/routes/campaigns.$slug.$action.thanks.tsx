import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { db } from "../../db/client";
import { getPublicCampaign } from "../../db/queries/campaigns";
import { emailsEnv } from "../../emails/config";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requestLanguage } from "../i18n/language.server";
import { notFound } from "../lib/http.server";
import { useMessages } from "../root";

export const meta: MetaFunction = () => [{ title: "Thank you — Inkwell" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaign = await getPublicCampaign(db(), params.slug ?? "", requestLanguage(request));
  const action = campaign?.actions.find((a) => a.slug === params.action);
  if (!campaign || !action) notFound();
  return {
    campaignSlug: campaign.slug,
    title: action.title,
    shareUrl: `${emailsEnv().APP_URL}/campaigns/${campaign.slug}/${action.slug}`,
  };
}

function CopyLink({ url }: { url: string }) {
  const t = useMessages();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-link">
      <input type="text" readOnly value={url} aria-label={t.thanks.copy} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        className="button"
        onClick={() => navigator.clipboard?.writeText(url).then(() => setCopied(true), () => setCopied(false))}
      >
        {copied ? t.thanks.copied : t.thanks.copy}
      </button>
    </div>
  );
}

export default function ThanksPage() {
  const { campaignSlug, title, shareUrl } = useLoaderData<typeof loader>();
  const t = useMessages();
  const text = t.thanks.shareText(title);
  const u = encodeURIComponent(shareUrl);
  const x = encodeURIComponent(text);
  return (
    <section className="panel narrow thanks">
      <p className="big-icon" aria-hidden="true">✓</p>
      <h1>{t.thanks.title}</h1>
      <p>{t.thanks.body}</p>
      <h2>{t.thanks.share}</h2>
      <CopyLink url={shareUrl} />
      <ul className="share-links">
        <li><a href={`mailto:?subject=${x}&body=${x}%0A%0A${u}`}>{t.thanks.email}</a></li>
        <li><a href={`https://wa.me/?text=${x}%20${u}`} rel="noopener noreferrer" target="_blank">WhatsApp</a></li>
        <li><a href={`https://x.com/intent/post?text=${x}&url=${u}`} rel="noopener noreferrer" target="_blank">X</a></li>
        <li><a href={`https://www.facebook.com/sharer/sharer.php?u=${u}`} rel="noopener noreferrer" target="_blank">Facebook</a></li>
        <li><a href={`https://bsky.app/intent/compose?text=${x}%20${u}`} rel="noopener noreferrer" target="_blank">Bluesky</a></li>
      </ul>
      <p><Link to={`/campaigns/${campaignSlug}`}>{t.thanks.back}</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
