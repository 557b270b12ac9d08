import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EmbedHeight } from "../components/embed-height";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Progress } from "../components/progress";
import { SignForm } from "../components/sign-form";
import { embedChannel, embedContext, embedHeaders, embedJson } from "../lib/embed.server";
import { handleSign } from "../lib/sign.server";
import { useMessages } from "../root";
import { loader as actionPageLoader } from "./campaigns.$slug.$action._index";

/**
 * An action framed on a partner's page: the same loader, form and signing path as the action page
 * (validation, limits, holds, confirmation by email), framed only by the campaign's partner origins.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.action.title} — ${data.campaign.title}` : "Inkwell" },
  { name: "robots", content: "noindex" },
];

export async function loader(args: LoaderFunctionArgs) {
  const embed = await embedContext(args.request, args.params.slug);
  const page = await actionPageLoader(args);
  return embedJson({ ...page, partner: embed.partner }, embed);
}

export const headers: HeadersFunction = embedHeaders;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const embed = await embedContext(request, params.slug);
  const response = await handleSign(request, params, context, embedChannel(embed));
  // The "check your email" page opens inside the frame too, still knowing its partner.
  const location = response.headers.get("Location");
  if (location && location.startsWith("/campaigns/")) {
    return redirect(`/embed${location}${embed.partner ? `?origin=${encodeURIComponent(embed.partner)}` : ""}`);
  }
  return response;
}

export default function EmbeddedAction() {
  const { campaign, action, countries, letter, partner } = useLoaderData<typeof loader>();
  const t = useMessages();
  const open = campaign.status === "live";
  return (
    <article className="action-page embedded">
      <EmbedHeight partner={partner} />
      <h1 lang={campaign.language}>{action.title}</h1>
      <p className="breadcrumb" lang={campaign.language}>
        <a href={`/campaigns/${campaign.slug}`} target="_blank" rel="noopener">{campaign.title}</a>
      </p>
      <Progress count={action.count} goal={action.goal} unit={action.kind === "letter" ? "letters" : "signatures"} />
      <blockquote className="ask-text" lang={campaign.language}>{action.ask}</blockquote>
      <section className="panel sign-panel" aria-labelledby="sign-heading">
        <h2 id="sign-heading" tabIndex={-1}>{letter ? t.letter.heading : t.sign.heading}</h2>
        {open ? <SignForm countries={countries} letter={letter} /> : <p className="notice" role="status">{t.sign.closed}</p>}
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
