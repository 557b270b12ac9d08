import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { metaMessages } from "../i18n";
import { useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).privacy.title} — Inkwell` }];

export default function PrivacyPage() {
  const t = useMessages();
  return (
    <section className="panel narrow prose">
      <h1>{t.privacy.title}</h1>
      {t.privacy.body.map((p) => <p key={p}>{p}</p>)}
      <p>{t.sign.privacy}</p>
      <p>{t.letterAction.privacy}</p>
      <p><Link to="/privacy/my-data">{t.myData.link}</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
