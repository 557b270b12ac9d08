import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listCampaignActions, moveAction } from "#db/queries/workspace-actions";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { moveSchema } from "../forms/workspace-action";
import { requireCampaignAccess } from "../lib/roles.server";
import { campaignAccess, workspaceAction } from "../lib/workspace-action.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  return { campaignId: campaign.id, actions: await listCampaignActions(db(), campaign.id) };
}

export const action = (args: ActionFunctionArgs) =>
  workspaceAction(
    args,
    { access: campaignAccess, schema: moveSchema, invalid: () => json({ error: "Choose a call to action and a direction." }, { status: 400 }) },
    async ({ session, campaign, submission }) => {
      const { actionId, direction } = submission.value;
      const moved = await db().transaction().execute((trx) => moveAction(trx, session.campaigner.id, campaign.id, actionId, direction));
      if (!moved) return json({ error: `That call to action cannot move ${direction}.` }, { status: 400 });
      return redirect(`/admin/campaigns/${campaign.id}/actions`);
    },
  );

export default function ActionList() {
  const { campaignId, actions } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const base = `/admin/campaigns/${campaignId}/actions`;
  return (
    <section className="stack">
      <div className="page-head">
        <h2>Calls to action</h2>
        <Link to={`${base}/new`} className="button primary">Add a call to action</Link>
      </div>
      {reply?.error ? <p className="form-error" role="alert">{reply.error}</p> : null}
      {actions.length === 0 ? (
        <p className="notice">No calls to action yet. A campaign needs at least one before it can go live.</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="data">
            <thead><tr><th>Order</th><th>Call to action</th><th>Kind</th><th>Delivery</th><th className="num">Confirmed</th><th className="num">Goal</th></tr></thead>
            <tbody>
              {actions.map((a, i) => (
                <tr key={a.id}>
                  <td>
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      <input type="hidden" name="actionId" value={a.id} />
                      <button type="submit" name="direction" value="up" className="link-button" disabled={i === 0} aria-label={`Move ${a.title} up`}>↑</button>{" "}
                      <button type="submit" name="direction" value="down" className="link-button" disabled={i === actions.length - 1} aria-label={`Move ${a.title} down`}>↓</button>
                    </Form>
                  </td>
                  <td><Link to={`${base}/${a.id}`}>{a.title}</Link></td>
                  <td>{a.kind}</td>
                  <td>{a.delivery_mode}</td>
                  <td className="num">{a.confirmed.toLocaleString("en")}</td>
                  <td className="num">{a.goal.toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
