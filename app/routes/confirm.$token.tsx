import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { findByConfirmationToken } from "#db/queries/signatures";
import { isWellFormedToken } from "#core/tokens";
import { confirmSubject } from "#db/queries/confirm-subject";
import { requestLanguage } from "../i18n/language.server";
import { CONFIRM_NO_STORE as noStore, confirmByToken, refusedLink } from "../lib/confirm.server";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { IconBadge } from "../components/icons";
import { metaMessages } from "../i18n";
import { useMessages } from "../root";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [{ title: `${data?.subject?.kind === "letter" ? metaMessages(matches).letterAction.confirmTitle : metaMessages(matches).confirm.title} — Inkwell` }, { name: "robots", content: "noindex" }];

// Loader and action headers reach the document only through this export: the token page is never cached, nor its address sent to other sites.
export const headers: HeadersFunction = () => noStore;

// GET only shows the page, so a mail scanner that follows the link confirms nothing.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const found = isWellFormedToken(token) ? await findByConfirmationToken(db(), token) : undefined;
  if (!found) return refusedLink(404);
  // Invalidated (or erased meanwhile): the press would be refused, so the page offers none. 410, as the press gets.
  if (found.status !== "pending" && found.status !== "confirmed") return refusedLink(410);
  const subject = await confirmSubject(db(), found.signatureId, requestLanguage(request));
  return json({ valid: true, subject }, { status: 200, headers: noStore });
}

// The web server answers a successful press itself (server/http/confirm-fast-path.ts) with this same function.
export async function action({ params }: ActionFunctionArgs) {
  return confirmByToken(params.token ?? "");
}

export default function ConfirmPage() {
  const loaded = useLoaderData<typeof loader>();
  // A refused POST (unknown, expired or invalidated) answers with the same shape as the loader.
  const posted = useActionData<typeof action>();
  const valid = loaded.valid && (posted === undefined || posted.valid);
  const t = useMessages();
  const busy = useNavigation().state === "submitting";
  const subject = loaded.subject;
  const letter = subject?.kind === "letter";
  if (!valid) {
    return (
      <section className="panel narrow status-panel">
        <h1>{t.confirm.invalidTitle}</h1>
        <p>{t.confirm.invalidBody}</p>
      </section>
    );
  }
  return (
    <section className="panel narrow status-panel">
      <IconBadge name="pen" />
      <h1>{letter ? t.letterAction.confirmTitle : t.confirm.title}</h1>
      {subject ? (
        <dl className="confirm-what">
          <dt>{t.confirmWhat.campaign}</dt>
          <dd>{subject.campaignTitle}</dd>
          <dt>{t.confirmWhat.action}</dt>
          <dd>{subject.actionTitle}</dd>
        </dl>
      ) : null}
      <p className="status-body">{letter ? t.letterAction.confirmBody : t.confirm.body}</p>
      <Form method="post" className="confirm-form">
        <button type="submit" className="button primary" disabled={busy}>{letter ? t.letterAction.confirmButton : t.confirm.button}</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
