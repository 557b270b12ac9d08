import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "../../db/client";
import { listLiveCampaigns } from "../../db/queries/campaigns";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Progress } from "../components/progress";
import { requestLanguage } from "../i18n/language.server";
import { useMessages } from "../root";

export const meta: MetaFunction = () => [
  { title: "Inkwell — letters that reach the people who decide" },
  { name: "description", content: "Sign calls to action and write to the officials who can change things." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return { campaigns: await listLiveCampaigns(db(), requestLanguage(request)) };
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
      <h2 className="section-title">{t.home.live}</h2>
      {campaigns.length === 0 ? <p>{t.home.none}</p> : null}
      <ul className="card-grid">
        {campaigns.map((c) => (
          <li key={c.id} className="card" lang={c.language}>
            <h3><Link to={`/campaigns/${c.slug}`}>{c.title}</Link></h3>
            <p>{c.summary}</p>
            <Progress count={c.count} goal={c.goal} unit="actionsTaken" />
            <Link to={`/campaigns/${c.slug}`} className="button">{t.home.open}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
