import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { createCampaign, isSlugTaken, isUniqueViolation } from "#db/queries/workspace-campaigns";
import { CampaignFields } from "../components/admin/campaign-fields";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { campaignSchema } from "../forms/workspace-campaign";
import { requireCampaigner } from "../lib/auth.server";
import { imageUrlProblem } from "../lib/image-hosts.server";
import { campaignFields, fieldErrors } from "../lib/workspace.server";
import { signedIn, workspaceAction } from "../lib/workspace-action.server";

export const meta: MetaFunction = () => [{ title: "New campaign — Inkwell workspace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCampaigner(request);
  return null;
}

export const action = (args: ActionFunctionArgs) => workspaceAction(args, { access: signedIn, schema: campaignSchema }, async ({ session, submission }) => {
  const imageProblem = imageUrlProblem(submission.value.imageUrl);
  if (imageProblem) return json(submission.reply({ fieldErrors: { imageUrl: [imageProblem] } }), { status: 400 });
  const fields = campaignFields(submission.value);
  const taken = { slug: "Another campaign already uses this address. Choose another." };
  if (await isSlugTaken(db(), fields.slug)) return fieldErrors(submission, taken, 409);
  try {
    const id = await db().transaction().execute((trx) => createCampaign(trx, session.campaigner.id, fields));
    return redirect(`/admin/campaigns/${id}/actions`);
  } catch (err) {
    if (isUniqueViolation(err)) return fieldErrors(submission, taken, 409);
    throw err;
  }
});

export default function NewCampaign() {
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { goal: "1000", defaultLanguage: "en" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: campaignSchema }),
  });
  return (
    <section>
      <div className="page-head"><h1>New campaign</h1></div>
      <p className="hint">It stays a draft, seen only in the workspace, until you launch it.</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        {form.errors?.length ? <p className="form-error" role="alert" id={form.errorId}>{form.errors[0]}</p> : null}
        <CampaignFields fields={fields} />
        <button type="submit" className="button primary" disabled={busy}>Create the draft</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
