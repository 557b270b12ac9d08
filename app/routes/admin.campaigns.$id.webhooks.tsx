import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import { WEBHOOK_EVENTS, addWebhookEndpoint, changeWebhookEndpoint, listWebhooks, resetWebhookDelivery } from "#db/queries/webhooks";
import { endpointUrlProblem } from "#services/webhook-send";
import { enqueueWebhooks } from "#services/webhook-events";
import { env as webhooksEnv } from "#core/env";
import { CsrfInput } from "../components/admin/csrf-input";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { addWebhookSchema, changeWebhookSchema } from "../forms/workspace-webhooks";
import { verifiedForm } from "../lib/auth.server";
import { requireCampaignAccess } from "../lib/roles.server";

export const meta: MetaFunction = () => [{ title: "Webhooks — Inkwell workspace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  return { campaignId: campaign.id, events: WEBHOOK_EVENTS, ...(await listWebhooks(db(), campaign.id)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const formData = await verifiedForm(request, session);
  const me = session.campaigner.id;
  if (intentOf(formData) === "add") {
    const submission = parseWithZod(formData, { schema: addWebhookSchema });
    if (submission.status !== "success") return json({ intent: "add", result: submission.reply() }, { status: 400 });
    const problem = endpointUrlProblem(submission.value.url, webhooksEnv().WEBHOOK_ALLOW_PRIVATE_ADDRESSES);
    if (problem) return json({ intent: "add", result: submission.reply({ fieldErrors: { url: [problem] } }) }, { status: 400 });
    const added = await db().transaction().execute((trx) => addWebhookEndpoint(trx, me, campaign.id, submission.value));
    // The secret is in this one answer only.
    return json({ intent: "add", result: submission.reply({ resetForm: true }), secret: added.secret }, { headers: { "Cache-Control": "no-store" } });
  }
  const submission = parseWithZod(formData, { schema: changeWebhookSchema });
  if (submission.status !== "success") return json({ intent: "change", error: "Choose an endpoint or a delivery and what to do." }, { status: 400 });
  const { change, id } = submission.value;
  if (change === "replay") {
    const reset = await db().transaction().execute(async (trx) => {
      const ok = await resetWebhookDelivery(trx, campaign.id, id);
      if (ok) await recordAudit(trx, { campaignerId: me, campaignId: campaign.id, action: "webhook.replay", subjectType: "webhook_delivery", subjectId: id });
      return ok;
    });
    if (!reset) return json({ intent: "change", error: "That delivery is not this campaign's." }, { status: 404 });
    await enqueueWebhooks([id], Date.now());
    return json({ intent: "change", done: "Replay queued." });
  }
  const ok = await db().transaction().execute((trx) => changeWebhookEndpoint(trx, me, campaign.id, id, change));
  if (!ok) return json({ intent: "change", error: "That endpoint is not this campaign's." }, { status: 404 });
  return json({ intent: "change", done: change === "resume" ? "Endpoint resumed." : change === "pause" ? "Endpoint paused." : "Endpoint removed." });
}

const when = (d: string | null) => (d ? new Date(d).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }) + " UTC" : "—");

function Change({ change, id, label }: { change: string; id: number; label: string }) {
  return (
    <Form method="post" className="inline-form">
      <CsrfInput />
      <input type="hidden" name="change" value={change} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="link-button">{label}</button>
    </Form>
  );
}

export default function Webhooks() {
  const { events, endpoints, deliveries } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "add-webhook",
    lastResult: reply && "result" in reply ? reply.result : undefined,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addWebhookSchema }),
  });
  return (
    <section className="stack">
      <h2>Webhooks</h2>
      <p>Inkwell posts each event to these HTTPS endpoints, signed with the endpoint&apos;s secret (Standard Webhooks). Payloads carry ids, never addresses or letters. See <a href="/api/docs">the API reference</a>.</p>
      {reply && "secret" in reply ? (
        <div className="notice" role="status">
          <p>The endpoint&apos;s signing secret. Copy it now: it is shown only this once.</p>
          <p><code data-testid="webhook-secret">{String(reply.secret)}</code></p>
        </div>
      ) : null}
      {reply && "error" in reply ? <p className="form-error" role="alert">{String(reply.error)}</p> : null}
      {reply && "done" in reply ? <p className="notice" role="status">{String(reply.done)}</p> : null}
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Endpoint</th><th>Events</th><th>State</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {endpoints.length === 0 ? <tr><td colSpan={4}>No endpoints yet.</td></tr> : null}
            {endpoints.map((e) => (
              <tr key={e.id}>
                <td><code>{e.url}</code></td>
                <td>{e.events.join(", ")}</td>
                <td>{e.paused_at ? <span className="badge closed">paused {when(e.paused_at)}</span> : <span className="badge live">active</span>} {e.consecutive_failures > 0 ? `${e.consecutive_failures} failures in a row` : ""}</td>
                <td className="button-row">
                  {e.paused_at ? <Change change="resume" id={e.id} label="Resume" /> : <Change change="pause" id={e.id} label="Pause" />}
                  <Change change="delete" id={e.id} label="Remove" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Latest deliveries</h3>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Id</th><th>Event</th><th>Status</th><th className="num">Attempts</th><th>Answer</th><th>Last attempt</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>msg_{d.id}</td>
                <td>{d.event}</td>
                <td>{d.status}</td>
                <td className="num">{d.attempts}</td>
                <td>{d.response_status ?? ""} <small>{d.response_excerpt?.slice(0, 200)}</small></td>
                <td>{when(d.last_attempt_at)}</td>
                <td><Change change="replay" id={d.id} label="Replay" /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel">
        <h3>Add an endpoint</h3>
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <AdminInput field={fields.url} label="HTTPS address" type="url" />
          <fieldset>
            <legend>Events</legend>
            {events.map((ev) => (
              <label key={ev} className="check"><input type="checkbox" name="events" value={ev} defaultChecked /> {ev}</label>
            ))}
            {fields.events.errors ? <p className="field-error" id={fields.events.errorId}>{fields.events.errors.join(" ")}</p> : null}
          </fieldset>
          <button type="submit" className="button primary" disabled={busy}>Add endpoint</button>
        </Form>
      </section>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
