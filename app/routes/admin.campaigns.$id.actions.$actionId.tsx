import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { officialsToChoose } from "#db/queries/officials";
import { getActionForEdit, updateAction } from "#db/queries/workspace-actions";
import { isUniqueViolation } from "#db/queries/workspace-campaigns";
import { ActionFields } from "../components/admin/action-fields";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { actionSchema } from "../forms/workspace-action";
import { LANGUAGE_NAMES, LANGUAGES } from "../forms/workspace-common";
import { requireCampaignAccess } from "../lib/roles.server";
import { notFound } from "../lib/http.server";
import { actionFields, actionProblems } from "../lib/workspace-actions.server";
import { fieldErrors, nudgeDeliverySchedules } from "../lib/workspace.server";
import { workspaceAction } from "../lib/workspace-action.server";

async function load(request: Request, params: LoaderFunctionArgs["params"]) {
  const access = await requireCampaignAccess(request, params.id);
  const actionId = Number(params.actionId);
  if (!Number.isSafeInteger(actionId) || actionId <= 0) notFound();
  const found = await getActionForEdit(db(), access.campaign.id, actionId);
  if (!found) notFound();
  return { ...access, found };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign, found } = await load(request, params);
  const a = found.action;
  const words = Object.fromEntries(
    found.translations.flatMap((t) => [[`title_${t.language}`, t.title], [`ask_${t.language}`, t.ask], [`subject_${t.language}`, t.letter_subject ?? ""], [`body_${t.language}`, t.letter_body ?? ""]]),
  );
  return {
    campaignId: campaign.id,
    actionId: a.id,
    kind: a.kind,
    hasSignatures: found.hasSignatures,
    defaultLanguage: campaign.default_language,
    officials: await officialsToChoose(db(), found.targetIds),
    chosen: found.targetIds,
    values: {
      kind: a.kind, slug: a.slug, goal: String(a.goal), letterEditable: a.letter_editable ? "on" : "", targetIds: found.targetIds.map(String),
      deliveryMode: a.delivery_mode, deliveryEveryHours: String(a.delivery_every_hours), deliveryLocalHour: String(a.delivery_local_hour),
      deliveryThreshold: String(a.delivery_threshold), ...words,
    },
  };
}

export const action = (args: ActionFunctionArgs) => workspaceAction(args, { access: ({ request, params }) => load(request, params), schema: actionSchema }, async ({ session, campaign, found, submission }) => {
  const fields = actionFields(submission.value);
  const problems = await actionProblems(campaign.id, campaign.default_language, fields, { id: found.action.id, kind: found.action.kind });
  if (Object.keys(problems).length) return fieldErrors(submission, problems);
  try {
    await db().transaction().execute((trx) => updateAction(trx, session.campaigner.id, campaign.id, found.action.id, fields));
  } catch (err) {
    if (isUniqueViolation(err)) return fieldErrors(submission, { slug: "Another call to action of this campaign already uses this address." });
    throw err;
  }
  await nudgeDeliverySchedules();
  return json({ ...submission.reply(), saved: true });
});

export default function EditAction() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: data.values,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: actionSchema }),
  });
  return (
    <section className="stack">
      <h2>Edit call to action</h2>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        {lastResult && "saved" in lastResult ? <p className="notice" role="status">Saved.</p> : null}
        {form.errors?.length ? <p className="form-error" role="alert">{form.errors[0]}</p> : null}
        <ActionFields fields={fields} officials={data.officials} kindFixed={data.hasSignatures} />
        <button type="submit" className="button primary" disabled={busy}>Save</button>
      </Form>
      {data.kind === "letter" ? <LetterPreview /> : null}
    </section>
  );
}

function LetterPreview() {
  const data = useLoaderData<typeof loader>();
  const fetcher = useFetcher<{ subject: string; body: string; official: string }>();
  const officials = data.officials.filter((o) => data.chosen.includes(o.id));
  const previewPath = `/admin/campaigns/${data.campaignId}/actions/${data.actionId}/letter-preview`;
  if (officials.length === 0) return null;
  return (
    <section className="panel">
      <h2>Preview the letter</h2>
      <p className="hint">Shows the saved letter, filled in for an official and a sample supporter. Save first to preview changes.</p>
      <form
        method="get"
        action={previewPath}
        className="filters"
        onSubmit={(e) => {
          // With JavaScript the letter shows here; without, the form opens it as a page.
          e.preventDefault();
          const query = new URLSearchParams(new FormData(e.currentTarget) as unknown as Record<string, string>);
          query.set("format", "json");
          fetcher.load(`${previewPath}?${query}`);
        }}
      >
        <div className="field">
          <label htmlFor="preview-official">Official</label>
          <select id="preview-official" name="targetId">{officials.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}</select>
        </div>
        <div className="field">
          <label htmlFor="preview-language">Language</label>
          <select id="preview-language" name="language" defaultValue={data.defaultLanguage}>{LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}</select>
        </div>
        <button type="submit" className="button">Preview</button>
      </form>
      {fetcher.data && typeof fetcher.data === "object" ? (
        <div className="preview-frame" aria-live="polite">
          <p className="hint">To {fetcher.data.official}</p>
          <h3>{fetcher.data.subject}</h3>
          <div className="letter-preview">{fetcher.data.body}</div>
        </div>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
