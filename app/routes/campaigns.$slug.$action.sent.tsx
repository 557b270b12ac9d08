import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "../../db/client";
import { findPublicAction } from "../../db/queries/actions";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { notFound } from "../lib/http.server";
import { useMessages } from "../root";

export const meta: MetaFunction = () => [{ title: "Check your email — Inkwell" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const action = await findPublicAction(db(), params.slug ?? "", params.action ?? "");
  if (!action) notFound();
  return { campaignSlug: action.campaignSlug };
}

export default function SentPage() {
  const { campaignSlug } = useLoaderData<typeof loader>();
  const t = useMessages();
  return (
    <section className="panel narrow" aria-live="polite">
      <p className="big-icon" aria-hidden="true">✉</p>
      <h1>{t.sent.title}</h1>
      <p>{t.sent.body}</p>
      <p className="hint">{t.sent.spam}</p>
      <p><Link to={`/campaigns/${campaignSlug}`}>{t.sent.back}</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
