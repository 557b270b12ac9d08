import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { forgotPasswordSchema } from "../forms/campaigner";
import { verifySameOrigin } from "../lib/auth.server";
import { requestPasswordReset } from "../lib/campaigner-auth.server";
import { formShape, readForm } from "../lib/form-body.server";
import { enforceLimit, limitHeaders } from "../lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Reset your password — Inkwell workspace" }, { name: "robots", content: "noindex" }];
export const headers = limitHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  verifySameOrigin(request);
  const submission = parseWithZod(await readForm(request, formShape(forgotPasswordSchema)), { schema: forgotPasswordSchema });
  if (submission.status !== "success") return json({ sent: false, result: submission.reply() }, { status: 400 });
  await enforceLimit(request, "password-reset", context.clientIp);
  await enforceLimit(request, "password-reset", submission.value.email.toLowerCase());
  await requestPasswordReset(submission.value.email);
  return json({ sent: true, result: submission.reply({ resetForm: true }) });
}

export default function ForgotPassword() {
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult: data?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  if (data?.sent) {
    return (
      <section className="panel narrow workspace-auth">
        <h1>Check your email</h1>
        <p>If that address belongs to a workspace account, a link to choose a new password is on its way. It works once, for one hour.</p>
        <p><Link to="/admin/sign-in">Back to sign in</Link></p>
      </section>
    );
  }
  return (
    <section className="panel narrow workspace-auth">
      <p className="eyebrow">Campaigner workspace</p>
      <h1>Reset your password</h1>
      <Form method="post" {...getFormProps(form)}>
        <AdminInput field={fields.email} label="Email" type="email" autoComplete="username" />
        <button type="submit" className="button primary" disabled={busy}>Email me a link</button>
      </Form>
      <p className="hint"><Link to="/admin/sign-in">Back to sign in</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
