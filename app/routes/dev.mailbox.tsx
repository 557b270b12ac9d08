import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isDemoMode } from "#emails/config";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { metaMessages } from "../i18n";
import { notFound } from "../lib/http.server";
import { readMailbox } from "../lib/mailbox.server";
import { useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).mailbox.title} — Inkwell` }, { name: "robots", content: "noindex" }];

// Exists only in demo mode (`npm run demo`, no SMTP_URL): everywhere else it is a plain 404.
export async function loader(_: LoaderFunctionArgs) {
  if (!isDemoMode()) notFound();
  return { messages: await readMailbox() };
}

export default function Mailbox() {
  const { messages } = useLoaderData<typeof loader>();
  const t = useMessages();
  return (
    <section className="mailbox">
      <h1>{t.mailbox.title}</h1>
      <p className="lede">{t.mailbox.intro}</p>
      {messages.length === 0 ? <p className="panel">{t.mailbox.empty}</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="panel mail">
          <header>
            <h2>{m.subject}</h2>
            <p className="hint">{t.mailbox.to}: {m.to} · <time dateTime={m.date}>{m.date.replace("T", " ").slice(0, 19)}</time></p>
          </header>
          {m.links.length ? (
            <details open>
              <summary>{t.mailbox.links}</summary>
              <ul>{m.links.map((l) => <li key={l}><a href={l}>{l}</a></li>)}</ul>
            </details>
          ) : null}
          <iframe title={m.subject} className="mail-frame" sandbox="allow-popups allow-top-navigation-by-user-activation" srcDoc={`<base target="_top">${m.html}`} />
        </article>
      ))}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
