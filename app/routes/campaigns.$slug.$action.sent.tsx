import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { findPublicAction } from "#db/queries/actions";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { IconBadge } from "../components/icons";
import { metaMessages } from "../i18n";
import { notFound } from "../lib/http.server";
import { useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).sent.title} — Inkwell` }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const action = await findPublicAction(db(), params.slug ?? "", params.action ?? "");
  if (!action) notFound();
  return { campaignSlug: action.campaignSlug, letter: action.kind === "letter" };
}

export default function SentPage() {
  const { campaignSlug, letter } = useLoaderData<typeof loader>();
  const t = useMessages();
  return (
    <section className="panel narrow status-panel" aria-live="polite">
      <IconBadge name="mail" />
      <h1>{t.sent.title}</h1>
      <p className="status-body">{letter ? t.letterAction.sentBody : t.sent.body}</p>
      <p className="hint">{letter ? t.letterAction.sentSpam : t.sent.spam}</p>
      <p className="status-foot"><Link to={`/campaigns/${campaignSlug}`}>{t.sent.back}</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
