import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { campaignsOfSupporter, erasedEvent } from "#services/webhook-events";
import { eraseSupporter, exportSupporterData, findPrivacyRequest } from "#db/queries/privacy";
import { isWellFormedToken } from "#core/tokens";
import { log } from "#core/logger";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { count, metaMessages } from "../i18n";
import { refuseCrossSite } from "../lib/abuse.server";
import { useLanguage, useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).myData.title} — Inkwell` }, { name: "robots", content: "noindex" }];

const noStore = { "Cache-Control": "no-store" };
// The page carries a live link token: never cached, never sent to another site as a referrer.
// Not "no-referrer": a browser then posts the page's form with `Origin: null`, which the cross-site check refuses.
export const headers: HeadersFunction = () => ({ ...noStore, "Referrer-Policy": "same-origin" });

async function requestFor(token: string | undefined) {
  return token && isWellFormedToken(token) ? findPrivacyRequest(db(), token) : undefined;
}

// GET never changes anything (mail scanners follow links): it shows the choices.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await requestFor(params.token);
  if (!found) return json({ valid: false as const }, { status: 404, headers: noStore });
  const data = await exportSupporterData(db(), found.supporterId);
  const step = new URL(request.url).searchParams.get("step") === "erase" ? ("erase" as const) : ("choose" as const);
  return json({ valid: true as const, token: params.token!, signatures: data.signatures.length, step }, { headers: noStore });
}

export async function action({ request, params }: ActionFunctionArgs) {
  refuseCrossSite(request);
  const found = await requestFor(params.token);
  if (!found) return json({ erased: false as const }, { status: 404, headers: noStore });
  const campaigns = await campaignsOfSupporter(db(), found.supporterId);
  await db().transaction().execute((trx) => eraseSupporter(trx, found.supporterId));
  await erasedEvent(db(), found.supporterId, campaigns);
  log.info("supporter erased on request", { supporterId: found.supporterId, requestId: found.requestId });
  return json({ erased: true as const }, { headers: noStore });
}

export default function MyDataPage() {
  const data = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const t = useMessages();
  const language = useLanguage();
  if (done?.erased) {
    return (
      <section className="panel narrow status-panel" role="status">
        <h1>{t.myData.erasedTitle}</h1>
        <p>{t.myData.erasedBody}</p>
      </section>
    );
  }
  if (!data.valid || done) {
    return (
      <section className="panel narrow status-panel">
        <h1>{t.myData.invalidTitle}</h1>
        <p>{t.myData.invalidBody}</p>
        <p><Link to="/privacy/my-data" className="button">{t.myData.again}</Link></p>
      </section>
    );
  }
  return (
    <section className="panel narrow">
      <h1>{t.myData.title}</h1>
      <p>{count(language, t.myData.pageIntro, data.signatures)}</p>
      <p><a href={`/privacy/my-data/${data.token}/download`} className="button" download="inkwell-my-data.json">{t.myData.download}</a></p>
      <h2>{t.myData.eraseHeading}</h2>
      <p>{t.myData.eraseBody}</p>
      {data.step === "erase" ? (
        <Form method="post" className="erase-confirm">
          <h3>{t.myData.confirmHeading}</h3>
          <button type="submit" name="intent" value="erase" className="button danger">{t.myData.confirmButton}</button>{" "}
          <Link to="." relative="path">{t.myData.cancel}</Link>
        </Form>
      ) : (
        <p><Link to="?step=erase" className="button secondary">{t.myData.eraseButton}</Link></p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
