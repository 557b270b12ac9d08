import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { campaignLanguages } from "#db/queries/updates";
import { CsrfInput } from "../components/admin/csrf-input";
import { WorkspaceErrorSummary } from "../components/admin/error-summary";
import { UpdateFields } from "../components/admin/update-fields";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { textsOf, updateSchema } from "../forms/update";
import { LANGUAGES } from "../forms/workspace-common";
import { verifiedForm } from "../lib/auth.server";
import { requireCampaignAccess } from "../lib/roles.server";
import { workspaceShape } from "../lib/form-body.server";
import { saveNewDraft } from "../lib/update-workspace.server";

export const meta: MetaFunction = () => [{ title: "New update — Inkwell workspace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  return { campaignId: campaign.id, languages: await campaignLanguages(db(), campaign.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const formData = await verifiedForm(request, session, workspaceShape(updateSchema([...LANGUAGES], "save")));
  const languages = await campaignLanguages(db(), campaign.id);
  const submission = parseWithZod(formData, { schema: updateSchema(languages, "save") });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const id = await saveNewDraft({ campaignerId: session.campaigner.id, campaignId: campaign.id }, textsOf(submission.value, languages));
  return redirect(`/admin/campaigns/${campaign.id}/updates/${id}`);
}

/** Compose a new update: subject and Markdown body per language, saved as a draft to preview, test and send. */
export default function NewUpdate() {
  const { languages } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: updateSchema(languages, "save") }),
  });
  return (
    <div className="stack">
      <h2>New update</h2>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <WorkspaceErrorSummary form={form as never} fields={fields as never} names={languages.flatMap((l) => [`subject_${l}`, `body_${l}`])} />
        <UpdateFields fields={fields as never} languages={languages} />
        <button type="submit" className="button primary" disabled={busy}>Save the draft</button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
