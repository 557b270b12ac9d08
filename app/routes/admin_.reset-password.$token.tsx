import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { findPasswordReset, resetPassword } from "#db/queries/campaigners";
import { recordAudit } from "#db/queries/audit";
import { hashPassword } from "#core/passwords";
import { hashToken, isWellFormedToken } from "#core/tokens";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { newPasswordSchema } from "../forms/campaigner";
import { verifySameOrigin } from "../lib/auth.server";
import { formShape, readForm } from "../lib/form-body.server";

// "same-origin" keeps the token out of other sites' Referer; "no-referrer" would make the browser post `Origin: null`.
const noStore = { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" };
export const headers: HeadersFunction = () => noStore;
export const meta: MetaFunction = () => [{ title: "Choose a new password — Inkwell workspace" }, { name: "robots", content: "noindex" }];

async function findReset(token: string | undefined) {
  return token && isWellFormedToken(token) ? findPasswordReset(db(), hashToken(token)) : undefined;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await findReset(params.token);
  return json({ valid: Boolean(found) }, { status: found ? 200 : 404, headers: noStore });
}

export async function action({ request, params }: ActionFunctionArgs) {
  verifySameOrigin(request);
  const submission = parseWithZod(await readForm(request, formShape(newPasswordSchema)), { schema: newPasswordSchema });
  if (!(await findReset(params.token))) return json({ valid: false, result: submission.reply() }, { status: 404, headers: noStore });
  if (submission.status !== "success") return json({ valid: true, result: submission.reply({ hideFields: ["password", "confirm"] }) }, { status: 400 });
  const passwordHash = await hashPassword(submission.value.password);
  const changed = await db().transaction().execute(async (trx) => {
    const id = await resetPassword(trx, hashToken(params.token!), passwordHash);
    if (id !== undefined) await recordAudit(trx, { campaignerId: id, action: "password.reset", subjectType: "campaigner", subjectId: id });
    return id;
  });
  if (changed === undefined) return json({ valid: false, result: submission.reply() }, { status: 404, headers: noStore });
  return redirect("/admin/sign-in?reset=1", { headers: noStore });
}

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult: posted?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newPasswordSchema }),
  });
  if (!loaded.valid || posted?.valid === false) {
    return (
      <section className="panel narrow workspace-auth">
        <h1>This link no longer works</h1>
        <p>Reset links work once, for one hour. Ask for a new one.</p>
        <p><Link to="/admin/forgot-password" className="button">Ask for a new link</Link></p>
      </section>
    );
  }
  return (
    <section className="panel narrow workspace-auth">
      <h1>Choose a new password</h1>
      <Form method="post" {...getFormProps(form)}>
        <AdminInput field={fields.password} label="New password" type="password" autoComplete="new-password" hint="At least 12 characters. A few unrelated words make a strong one." />
        <AdminInput field={fields.confirm} label="The same password again" type="password" autoComplete="new-password" />
        <button type="submit" className="button primary" disabled={busy}>Save and sign in again</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
