import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { actionOfCampaign, listOutcomes, listResults } from "#db/queries/outcomes";
import { listCampaignActions } from "#db/queries/workspace-actions";
import { recordOutcome, recordResult, withdrawResult } from "#services/outcomes";
import { CsrfInput } from "../components/admin/csrf-input";
import { AdminField, AdminInput, AdminTextarea } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { outcomeSchema, removeResultSchema, resultSchema } from "../forms/workspace-outcomes";
import { verifiedForm } from "../lib/auth.server";
import { workspaceShape } from "../lib/form-body.server";
import { requireCampaignAccess } from "../lib/roles.server";

export const meta: MetaFunction = () => [{ title: "Outcome — Inkwell workspace" }];

const OUTCOME_LABELS = { won: "Won", partly_won: "Partly won", no_change: "No change", closed: "Closed" } as const;
const SCOPE_ERROR = "Choose the campaign or one of its own calls to action.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const [actions, results, outcomes] = await Promise.all([listCampaignActions(db(), campaign.id), listResults(db(), campaign.id), listOutcomes(db(), campaign.id)]);
  return {
    campaign: { id: campaign.id, slug: campaign.slug },
    actions: actions.map((a) => ({ id: a.id, slug: a.slug, title: a.title })),
    results,
    outcomes: outcomes.map((o) => ({ ...o, recorded_at: o.recorded_at.toISOString() })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const formData = await verifiedForm(request, session, workspaceShape([resultSchema, outcomeSchema, removeResultSchema]));
  const me = session.campaigner.id;
  const intent = intentOf(formData);
  if (intent === "remove") {
    const submission = parseWithZod(formData, { schema: removeResultSchema });
    if (submission.status !== "success") return json({ intent, error: "Choose an entry to remove." }, { status: 400 });
    if (!(await withdrawResult(me, campaign.id, submission.value.id))) return json({ intent, error: "That entry is not this campaign's." }, { status: 404 });
    return json({ intent, done: "Entry removed from the timeline." });
  }
  if (intent === "outcome") {
    const submission = parseWithZod(formData, { schema: outcomeSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
    const { action: actionId, ...rest } = submission.value;
    if (actionId !== null && !(await actionOfCampaign(db(), campaign.id, actionId))) {
      return json({ intent, result: submission.reply({ fieldErrors: { action: [SCOPE_ERROR] } }) }, { status: 400 });
    }
    const id = await recordOutcome(me, { campaignId: campaign.id, campaignSlug: campaign.slug, actionId, ...rest });
    if (id === null) {
      return json({ intent, result: submission.reply({ formErrors: ["An outcome is already recorded for this; it was told to supporters once and stays as it is."] }) }, { status: 409 });
    }
    return json({ intent, result: submission.reply({ resetForm: true }), done: "Outcome recorded. It is on the public page and the update to supporters is on its way." });
  }
  if (intent !== "result") return json({ intent, error: "This form could not be read. Reload the page and try again." }, { status: 400 });
  const submission = parseWithZod(formData, { schema: resultSchema });
  if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
  const { action: actionId, link, ...rest } = submission.value;
  if (actionId !== null && !(await actionOfCampaign(db(), campaign.id, actionId))) {
    return json({ intent, result: submission.reply({ fieldErrors: { action: [SCOPE_ERROR] } }) }, { status: 400 });
  }
  await recordResult(me, { campaignId: campaign.id, actionId, link: link ?? null, ...rest });
  return json({ intent, result: submission.reply({ resetForm: true }), done: "Added to the public timeline." });
}

function ScopeSelect({ field, actions }: { field: Parameters<typeof AdminField>[0]["field"]; actions: { id: number; title: string }[] }) {
  return (
    <AdminField field={field} label="For">
      <select {...getSelectProps(field)}>
        <option value="">The whole campaign</option>
        {actions.map((a) => <option key={a.id} value={a.id}>Call to action: {a.title}</option>)}
      </select>
    </AdminField>
  );
}

/** Responses, results and the outcome of a campaign: what its public timeline shows and what supporters are told. */
export default function Outcome() {
  const { campaign, actions, results, outcomes } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const said = reply as { error?: string; done?: string } | undefined;
  const today = new Date().toISOString().slice(0, 10);
  const [resultForm, resultFields] = useForm({
    id: "add-result",
    lastResult: reply?.intent === "result" && "result" in reply ? reply.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resultSchema }),
  });
  const [outcomeForm, outcomeFields] = useForm({
    id: "record-outcome",
    lastResult: reply?.intent === "outcome" && "result" in reply ? reply.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: outcomeSchema }),
  });
  const titleOf = (id: number | null) => (id === null ? "The whole campaign" : actions.find((a) => a.id === id)?.title ?? "A call to action");
  const decided = new Set(outcomes.map((o) => o.action_id ?? 0));
  const open = (decided.has(0) ? 0 : 1) + actions.filter((a) => !decided.has(a.id)).length;
  return (
    <section className="stack">
      <h2>Outcome</h2>
      <p>
        Everything here is public: it appears on the <a href={`/campaigns/${campaign.slug}`}>campaign page</a> timeline, beside the
        batches delivered and the replies you published, and in the public API.
      </p>
      {said?.error ? <p className="form-error" role="alert">{said.error}</p> : null}
      {said?.done ? <p className="notice" role="status">{said.done}</p> : null}

      <h3>Outcomes</h3>
      {outcomes.length === 0 ? <p className="hint">No outcome recorded yet.</p> : (
        <ul>
          {outcomes.map((o) => (
            <li key={o.id}><strong>{OUTCOME_LABELS[o.outcome]}</strong> — {titleOf(o.action_id)}, {o.decided_on}: {o.summary}</li>
          ))}
        </ul>
      )}

      <h3>Responses and results</h3>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Date</th><th>Kind</th><th>For</th><th>Who</th><th>What</th><th>Link</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {results.length === 0 ? <tr><td colSpan={7}>Nothing recorded yet.</td></tr> : null}
            {results.map((r) => (
              <tr key={r.id}>
                <td>{r.happened_on}</td>
                <td>{r.kind}</td>
                <td>{titleOf(r.action_id)}</td>
                <td>{r.who}</td>
                <td>{r.what}</td>
                <td>{r.link ? <a href={r.link} rel="noopener noreferrer nofollow">{new URL(r.link).hostname}</a> : ""}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="id" value={r.id} />
                    <button type="submit" className="link-button">Remove</button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="panel">
        <h3>Add a response or a result</h3>
        <Form method="post" {...getFormProps(resultForm)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="result" />
          <ScopeSelect field={resultFields.action} actions={actions} />
          <AdminField field={resultFields.kind} label="Kind">
            <select {...getSelectProps(resultFields.kind)}>
              <option value="response">A response: what an official or institution said</option>
              <option value="result">A result: what changed</option>
            </select>
          </AdminField>
          <AdminInput field={resultFields.happenedOn} label="Date" type="date" />
          <AdminInput field={resultFields.who} label="Who" hint="The person or body, e.g. Ministry of Justice." />
          <AdminTextarea field={resultFields.what} label="What they said or did" rows={4} />
          <AdminInput field={resultFields.link} label="Link (optional)" type="url" hint="An https:// link to the statement, document or article. Documents are linked, not uploaded." />
          <button type="submit" className="button primary">Add to the timeline</button>
        </Form>
      </section>

      <section className="panel">
        <h3>Record an outcome</h3>
        <p className="hint">
          Recorded once per campaign and per call to action. Supporters who asked for updates (all of the campaign&apos;s, or that call
          to action&apos;s) get it by email in their language, with your summary as you write it; webhooks receive <code>outcome.recorded</code>.
          Closing the campaign to new signatures is a separate step on the Campaign tab.
        </p>
        {outcomeForm.errors?.length ? <p className="form-error" role="alert">{outcomeForm.errors.join(" ")}</p> : null}
        {open === 0 ? <p className="notice">The campaign and every call to action have their outcome.</p> : (
          <Form method="post" {...getFormProps(outcomeForm)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="outcome" />
            <AdminField field={outcomeFields.action} label="For">
              <select {...getSelectProps(outcomeFields.action)}>
                {decided.has(0) ? null : <option value="">The whole campaign</option>}
                {actions.filter((a) => !decided.has(a.id)).map((a) => <option key={a.id} value={a.id}>Call to action: {a.title}</option>)}
              </select>
            </AdminField>
            <AdminField field={outcomeFields.outcome} label="Outcome">
              <select {...getSelectProps(outcomeFields.outcome)}>
                {Object.entries(OUTCOME_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
              </select>
            </AdminField>
            <AdminInput field={outcomeFields.decidedOn} label="Date" type="date" hint={`yyyy-mm-dd; today is ${today}.`} />
            <AdminTextarea field={outcomeFields.summary} label="What happened" rows={5} />
            <button type="submit" className="button primary">Record and tell supporters once</button>
          </Form>
        )}
      </section>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
