import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { officialsToChoose } from "#db/queries/officials";
import { createAction } from "#db/queries/workspace-actions";
import { isUniqueViolation } from "#db/queries/workspace-campaigns";
import { ActionFields } from "../components/admin/action-fields";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { actionSchema } from "../forms/workspace-action";
import { requireCampaignAccess } from "../lib/roles.server";
import { actionFields, actionProblems } from "../lib/workspace-actions.server";
import { fieldErrors, nudgeDeliverySchedules } from "../lib/workspace.server";
import { campaignAccess, workspaceAction } from "../lib/workspace-action.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  return { campaignId: campaign.id, officials: await officialsToChoose(db()) };
}

export const action = (args: ActionFunctionArgs) => workspaceAction(args, { access: campaignAccess, schema: actionSchema }, async ({ session, campaign, submission }) => {
  const fields = actionFields(submission.value);
  const problems = await actionProblems(campaign.id, campaign.default_language, fields);
  if (Object.keys(problems).length) return fieldErrors(submission, problems);
  try {
    await db().transaction().execute((trx) => createAction(trx, session.campaigner.id, campaign.id, fields));
  } catch (err) {
    if (isUniqueViolation(err)) return fieldErrors(submission, { slug: "Another call to action of this campaign already uses this address." });
    throw err;
  }
  await nudgeDeliverySchedules();
  return redirect(`/admin/campaigns/${campaign.id}/actions`);
});

export default function NewAction() {
  const { officials } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { kind: "petition", goal: "1000", deliveryMode: "daily", deliveryLocalHour: "9", deliveryEveryHours: "24", deliveryThreshold: "100", letterEditable: "on" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: actionSchema }),
  });
  return (
    <section className="stack">
      <h2>New call to action</h2>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        {form.errors?.length ? <p className="form-error" role="alert">{form.errors[0]}</p> : null}
        <ActionFields fields={fields} officials={officials} kindFixed={false} />
        <button type="submit" className="button primary" disabled={busy}>Add</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
