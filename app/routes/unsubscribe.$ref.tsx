import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { unsubscribedEvent } from "#services/webhook-events";
import { leaveAllCampaigns, resubscribe, subscriptionState, unsubscribe, type SubscriptionState } from "#db/queries/subscriptions";
import { parseUnsubscribeRef } from "#emails/unsubscribe-link";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { messages, metaMessages } from "../i18n";
import { requestLanguage } from "../i18n/language.server";
import { readForm } from "../lib/form-body.server";
import { enforceLimit } from "../lib/rate-limit.server";
import { useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).unsubscribe.title} — Inkwell` }, { name: "robots", content: "noindex" }];

const noStore = { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" };
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const retryAfter = errorHeaders?.get("Retry-After");
  return retryAfter ? { ...noStore, "Retry-After": retryAfter } : noStore;
};

type Outcome = "unsubscribed" | "resubscribed" | "left-all" | null;
type PageData = { valid: false; error?: "bad-request" } | ({ valid: true; outcome: Outcome; error?: "bad-request" } & SubscriptionState);

async function pageFor(request: Request, ref: string | undefined, outcome: Outcome, status = 200) {
  const named = parseUnsubscribeRef(ref ?? "");
  const state = named && (await subscriptionState(db(), named.supporterId, named.campaignId, requestLanguage(request)));
  if (!state) return json<PageData>({ valid: false }, { status: named ? 404 : 400, headers: noStore });
  return json<PageData>({ valid: true, outcome, ...state, ...(status === 400 ? { error: "bad-request" as const } : {}) }, { status, headers: noStore });
}

// GET only shows the page: a mail scanner following the link unsubscribes no one.
export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageFor(request, params.ref, null);
}

// RFC 8058 one-click: mail providers POST "List-Unsubscribe=One-Click" with no cookie, token or
// Origin, so this action needs none; the signed reference is the authority. The page's own buttons post `intent`.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const named = parseUnsubscribeRef(params.ref ?? "");
  if (!named) return json<PageData>({ valid: false }, { status: 400, headers: noStore });
  await enforceLimit(request, "unsubscribe-ip", context.clientIp);
  // A body that is not a form, or holds more than these buttons send, gets the page and its message (400).
  const form = await readForm(request).catch((refusal: unknown) => {
    if (refusal instanceof Response) return null;
    throw refusal;
  });
  const oneClick = form?.get("List-Unsubscribe");
  const intent = oneClick === "One-Click" ? "unsubscribe" : oneClick == null ? form?.get("intent") : null;
  if (!(await subscriptionState(db(), named.supporterId, named.campaignId, "en"))) return pageFor(request, params.ref, null);
  const { supporterId, campaignId } = named;
  if (intent === "unsubscribe") {
    await unsubscribe(db(), supporterId, campaignId);
    await unsubscribedEvent(db(), supporterId, campaignId);
    return pageFor(request, params.ref, "unsubscribed");
  }
  if (intent === "leave-all") {
    await leaveAllCampaigns(db(), supporterId, campaignId);
    return pageFor(request, params.ref, "left-all");
  }
  if (intent === "resubscribe") {
    const language = requestLanguage(request);
    await resubscribe(db(), supporterId, campaignId, messages(language).unsubscribe.resubscribeWording, language);
    return pageFor(request, params.ref, "resubscribed");
  }
  return pageFor(request, params.ref, null, 400);
}

function Button({ intent, label, primary }: { intent: string; label: string; primary?: boolean }) {
  return (
    <Form method="post" className="confirm-form">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={primary ? "button primary" : "button"}>{label}</button>
    </Form>
  );
}

export default function UnsubscribePage() {
  const loaded = useLoaderData<typeof loader>() as PageData;
  const posted = useActionData<typeof action>() as PageData | undefined;
  const data = posted ?? loaded;
  const t = useMessages().unsubscribe;
  if (!data.valid) {
    return (
      <section className="panel narrow status-panel">
        <h1>{t.invalidTitle}</h1>
        <p>{t.invalidBody}</p>
      </section>
    );
  }
  const title = data.leftAll ? t.leftAllTitle : data.outcome === "resubscribed" ? t.resubscribedTitle : data.unsubscribed ? t.doneTitle : t.title;
  const body = data.leftAll ? t.leftAllBody : data.outcome === "resubscribed" ? t.resubscribedBody(data.campaignTitle) : data.unsubscribed ? t.doneBody(data.campaignTitle) : t.body(data.campaignTitle);
  const out = data.unsubscribed || data.leftAll;
  return (
    <section className="panel narrow status-panel">
      <h1>{title}</h1>
      {data.error ? <p role="alert" className="field-error">{t.badRequest}</p> : null}
      <p className="status-body">{body}</p>
      {out ? (
        <>
          <p className="hint">{t.resubscribeHint}</p>
          <Button intent="resubscribe" label={t.resubscribe} primary />
        </>
      ) : (
        <Button intent="unsubscribe" label={t.button} primary />
      )}
      {data.leftAll ? null : (
        <>
          <p className="hint">{t.leaveAllHint}</p>
          <Button intent="leave-all" label={t.leaveAll} />
        </>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
