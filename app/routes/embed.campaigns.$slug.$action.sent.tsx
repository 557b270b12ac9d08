import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EmbedHeight } from "../components/embed-height";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { IconBadge } from "../components/icons";
import { NextActions } from "../components/next-actions";
import { metaMessages } from "../i18n";
import { embedContext, embedHeaders, embedJson } from "../lib/embed.server";
import { useMessages } from "../root";
import { loader as sentPageLoader } from "./campaigns.$slug.$action.sent";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).sent.title} — Inkwell` }, { name: "robots", content: "noindex" }];

/** "Check your email", inside the partner's frame: the confirmation link opens Inkwell itself. */
export async function loader(args: LoaderFunctionArgs) {
  const embed = await embedContext(args.request, args.params.slug);
  const page = await sentPageLoader(args);
  return embedJson({ ...page, partner: embed.partner }, embed);
}

export const headers: HeadersFunction = embedHeaders;

export default function EmbeddedSent() {
  const { letter, partner, next, campaignSlug, campaignLanguage } = useLoaderData<typeof loader>();
  const t = useMessages();
  return (
    <section className="panel narrow status-panel" aria-live="polite">
      <EmbedHeight partner={partner} />
      <IconBadge name="mail" />
      <h1>{t.sent.title}</h1>
      <p className="status-body">{letter ? t.letterAction.sentBody : t.sent.body}</p>
      <p className="hint">{letter ? t.letterAction.sentSpam : t.sent.spam}</p>
      <NextActions campaignSlug={campaignSlug} actions={next} language={campaignLanguage} external />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
