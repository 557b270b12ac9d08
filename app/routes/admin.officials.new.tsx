import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { createOfficial } from "#db/queries/officials";
import { CsrfInput } from "../components/admin/csrf-input";
import { OfficialFields } from "../components/admin/official-fields";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { officialSchema } from "../forms/workspace-official";
import { requireCampaigner } from "../lib/auth.server";
import { officialFields } from "../lib/officials.server";
import { signedIn, workspaceAction } from "../lib/workspace-action.server";

export const meta: MetaFunction = () => [{ title: "Add an official — Inkwell workspace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCampaigner(request);
  return null;
}

export const action = (args: ActionFunctionArgs) => workspaceAction(args, { access: signedIn, schema: officialSchema }, async ({ session, submission }) => {
  const id = await db().transaction().execute((trx) => createOfficial(trx, session.campaigner.id, officialFields(submission.value)));
  return redirect(`/admin/officials/${id}`);
});

export default function NewOfficial() {
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { language: "es", timeZone: "America/Lima", country: "PE" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: officialSchema }),
  });
  return (
    <section className="stack">
      <h1>Add an official</h1>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <OfficialFields fields={fields} />
        <button type="submit" className="button primary" disabled={busy}>Add</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
