import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState, useSyncExternalStore } from "react";
import { db } from "#db/client";
import { getPublicCampaign } from "#db/queries/campaigns";
import { actionsTakenWith } from "#db/queries/actions-taken";
import { env as emailsEnv } from "#core/env";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { IconBadge } from "../components/icons";
import { NextActions } from "../components/next-actions";
import { metaMessages } from "../i18n";
import { requestLanguage } from "../i18n/language.server";
import { notFound } from "../lib/http.server";
import { parseLetterRef } from "../lib/letter-link.server";
import { shareLinks } from "../lib/share-links.server";
import { parseThanksRef } from "../lib/thanks-ref.server";
import { useMessages } from "../root";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [{ title: `${data?.letter ? metaMessages(matches).letterAction.thanksTitle : metaMessages(matches).thanks.title} — Inkwell` }, { name: "robots", content: "noindex" }];

// The address carries signed references: it is never sent on to the sites it links to.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "same-origin", "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const letterParam = search.get("letter");
  const campaign = await getPublicCampaign(db(), params.slug ?? "", requestLanguage(request));
  const action = campaign?.actions.find((a) => a.slug === params.action);
  if (!campaign || !action) notFound();
  // What this supporter has taken, known only from the signed reference the confirmation gave.
  const confirmed = parseThanksRef(search.get("done"));
  const taken = new Set(confirmed ? await actionsTakenWith(db(), confirmed) : []);
  taken.add(action.id);
  return {
    campaignLanguage: campaign.language,
    next: campaign.status === "live" ? campaign.actions.filter((a) => !taken.has(a.id)).map((a) => ({ slug: a.slug, title: a.title, kind: a.kind })) : [],
    campaignSlug: campaign.slug,
    title: action.title,
    letter: action.kind === "letter",
    // Each way of sharing carries its own channel, so a signature records which one brought it.
    shareUrls: shareLinks(`${emailsEnv().APP_URL}/campaigns/${campaign.slug}/${action.slug}`),
    letterUrl: letterParam && parseLetterRef(letterParam) ? `/letters/${letterParam}` : null,
  };
}

const noSubscription = () => () => {};

function CopyLink({ url }: { url: string }) {
  const t = useMessages();
  const [copied, setCopied] = useState(false);
  // The button needs JavaScript and a clipboard; without them the field alone is there to select and copy.
  const canCopy = useSyncExternalStore(noSubscription, () => Boolean(navigator.clipboard), () => false);
  return (
    <div className="copy-link">
      <input type="text" readOnly value={url} aria-label={t.thanks.link} onFocus={(e) => e.currentTarget.select()} />
      {canCopy ? (
        <button type="button" className="button" onClick={() => navigator.clipboard.writeText(url).then(() => setCopied(true), () => setCopied(false))}>
          <span aria-live="polite">{copied ? t.thanks.copied : t.thanks.copy}</span>
        </button>
      ) : null}
    </div>
  );
}

export default function ThanksPage() {
  const { campaignSlug, title, shareUrls, letterUrl, letter, next, campaignLanguage } = useLoaderData<typeof loader>();
  const t = useMessages();
  const text = t.thanks.shareText(title);
  const u = (channel: keyof typeof shareUrls) => encodeURIComponent(shareUrls[channel]);
  const x = encodeURIComponent(text);
  return (
    <section className="panel narrow status-panel thanks">
      <IconBadge name="check" />
      <h1>{letter ? t.letterAction.thanksTitle : t.thanks.title}</h1>
      <p className="status-body">{letter ? t.letterAction.thanksBody : t.thanks.body}</p>
      {letterUrl ? <p><a href={letterUrl} className="button" download>{t.letter.download}</a></p> : null}
      <NextActions campaignSlug={campaignSlug} actions={next} language={campaignLanguage} />
      <h2>{t.thanks.share}</h2>
      <CopyLink url={shareUrls.link} />
      <ul className="share-links">
        <li><a href={`mailto:?subject=${x}&body=${x}%0A%0A${u("email")}`}>{t.thanks.email}</a></li>
        <li><a href={`https://wa.me/?text=${x}%20${u("whatsapp")}`} rel="noopener noreferrer" target="_blank">WhatsApp</a></li>
        <li><a href={`https://x.com/intent/post?text=${x}&url=${u("x")}`} rel="noopener noreferrer" target="_blank">X</a></li>
        <li><a href={`https://www.facebook.com/sharer/sharer.php?u=${u("facebook")}`} rel="noopener noreferrer" target="_blank">Facebook</a></li>
        <li><a href={`https://bsky.app/intent/compose?text=${x}%20${u("bluesky")}`} rel="noopener noreferrer" target="_blank">Bluesky</a></li>
      </ul>
      <p className="status-foot"><Link to={`/campaigns/${campaignSlug}`} className="button">{t.thanks.back}</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
