import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { db } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import { findCampaignDelivery, listDeliveryLog, waitingCounts } from "#db/queries/deliveries";
import { campaignActionChoices } from "#db/queries/workspace-supporters";
import { deliverAction, retryBatch } from "#services/deliveries";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { deliveryActionSchema } from "../forms/workspace-deliveries";
import { requireCampaignAccess } from "../lib/roles.server";
import { notFound } from "../lib/http.server";
import { campaignAccess, workspaceAction } from "../lib/workspace-action.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const [actions, log] = await Promise.all([campaignActionChoices(db(), campaign.id), listDeliveryLog(db(), campaign.id)]);
  const waiting = await Promise.all(actions.map(async (a) => [...(await waitingCounts(db(), a.id)).values()].reduce((x, y) => x + y, 0)));
  return {
    canDeliver: campaign.status === "live" || campaign.status === "closed",
    actions: actions.map((a, i) => ({ ...a, waiting: waiting[i]!, batches: log.filter((d) => d.action_id === a.id) })),
  };
}

export const action = (args: ActionFunctionArgs) =>
  workspaceAction(
    args,
    {
      access: campaignAccess,
      schema: deliveryActionSchema,
      invalid: (submission) => json({ message: Object.values(submission.reply().error ?? {}).flat().find(Boolean) ?? "Check the form.", ok: false }, { status: 400 }),
    },
    async ({ session, campaign, submission }) => {
      const v = submission.value;
      const audit = { campaignerId: session.campaigner.id, campaignId: campaign.id };
      if (v.intent === "deliver") {
        const actions = await campaignActionChoices(db(), campaign.id);
        if (!actions.some((a) => a.id === v.actionId)) notFound();
        if (campaign.status !== "live" && campaign.status !== "closed") {
          return json({ message: "Only a live or closed campaign delivers. Launch it first.", ok: false }, { status: 409 });
        }
        const result = await deliverAction(db(), v.actionId, { trigger: "manual" });
        await recordAudit(db(), { ...audit, action: "deliveries.deliver_now", subjectType: "action", subjectId: v.actionId, details: { batches: result.batches, held: result.held } });
        const held = result.held.length ? ` ${result.held.length} official(s) have no email address: their letters wait.` : "";
        return json({ message: `${result.batches.length ? `${result.batches.length} batch(es) on their way.` : "Nothing new to deliver."}${held}`, ok: true });
      }
      const batch = await findCampaignDelivery(db(), campaign.id, v.deliveryId);
      if (!batch) notFound();
      if (batch.status !== "failed") return json({ message: `Batch ${batch.seq} has not failed (it is ${batch.status}); only a failed batch can be retried.`, ok: false }, { status: 409 });
      if (!(await retryBatch(db(), batch.id))) return json({ message: "That batch is no longer failed.", ok: false }, { status: 409 });
      await recordAudit(db(), { ...audit, action: "deliveries.retry", subjectType: "delivery", subjectId: batch.id, details: { seq: batch.seq, targetId: batch.target_id } });
      return json({ message: `Batch ${batch.seq} is queued again, with the same message ids.`, ok: true });
    },
  );

const when = (d: string | null) => (d ? new Date(d).toISOString().slice(0, 16).replace("T", " ") : "—");

export default function Deliveries() {
  const { actions, canDeliver } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/admin/campaigns/${useParams().id}/deliveries`;
  return (
    <div className="workspace">
      {result ? <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>{result.message}</p> : null}
      {actions.length === 0 ? <p className="notice">This campaign has no calls to action yet.</p> : null}
      {actions.map((a) => (
        <section key={a.id} className="delivery-action" aria-labelledby={`action-${a.id}`}>
          <div className="page-head">
            <h2 id={`action-${a.id}`}>{a.title}</h2>
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="deliver" />
              <input type="hidden" name="actionId" value={a.id} />
              <span className="hint">{`${a.waiting.toLocaleString("en")} waiting `}</span>
              <button type="submit" className="button" disabled={!canDeliver}>Deliver now</button>
            </Form>
          </div>
          <div className="table-wrap" tabIndex={0}>
            <table className="data">
              <thead>
                <tr><th>Official</th><th className="num">Batch</th><th>Status</th><th className="num">Items</th><th className="num">To date</th><th className="num">Parts</th><th>Trigger</th><th>Created</th><th>Sent</th><th>Files</th><th><span className="visually-hidden">Actions</span></th></tr>
              </thead>
              <tbody>
                {a.batches.length === 0 ? <tr><td colSpan={11}>No batches yet.</td></tr> : null}
                {a.batches.map((d) => (
                  <tr key={d.id}>
                    <td>{d.target_name}<div className="hint">{d.target_title}</div></td>
                    <td className="num">{d.seq}</td>
                    <td><span className={`badge ${d.status}`}>{d.status}</span>{d.error ? <div className="hint">{d.error}</div> : null}
                      {d.parts_accepted ? <div className="hint">{`Accepted by the official's server: ${d.parts_accepted} of ${d.parts} part(s)`}</div> : null}
                      {d.parts_bounced ? <div className="hint">{`Bounced: ${d.parts_bounced} part(s)`}</div> : null}
                      {d.parts_complained ? <div className="hint">{`Reported as unwanted: ${d.parts_complained} part(s)`}</div> : null}</td>
                    <td className="num">{d.items.toLocaleString("en")}</td>
                    <td className="num">{d.items_to_date.toLocaleString("en")}</td>
                    <td className="num">{d.parts}</td>
                    <td>{d.trigger}</td>
                    <td>{when(d.created_at)}</td>
                    <td>{when(d.sent_at)}</td>
                    <td>{d.status === "sent" ? <><a href={`${base}/${d.id}/csv`} download>CSV</a> · <a href={`${base}/${d.id}/pdf`} download>PDF</a></> : "—"}</td>
                    <td>
                      {d.status === "failed" ? (
                        <Form method="post" className="inline-form">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="retry" />
                          <input type="hidden" name="deliveryId" value={d.id} />
                          <button type="submit" className="link-button">Retry</button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
