import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import adminStyles from "../admin.css";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { secondStepSchema } from "../forms/two-factor";
import { verifySameOrigin } from "../lib/auth.server";
import { formShape, readForm } from "../lib/form-body.server";
import { safeLocalPath } from "../lib/http.server";
import { clearSecondStep, completeSecondStep, hasPendingSecondStep } from "../lib/sign-in-challenge.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminStyles }];
export const meta: MetaFunction = () => [{ title: "Sign-in code — Inkwell workspace" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Only a browser that just gave a right password has a pending step; anyone else starts there.
  if (!(await hasPendingSecondStep(request))) throw redirect("/admin/sign-in", { headers: { "Set-Cookie": await clearSecondStep() } });
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  verifySameOrigin(request);
  const formData = await readForm(request, formShape(secondStepSchema));
  const submission = parseWithZod(formData, { schema: secondStepSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const result = await completeSecondStep(request, submission.value.code);
  if (result.status === "done") return redirect(safeLocalPath(result.next, "/admin"), { headers: result.headers });
  if (result.status === "wrong" && result.attemptsLeft > 0) {
    return json(submission.reply({ fieldErrors: { code: ["That code is not right, or was already used. Check your app and try again."] }, hideFields: ["code"] }), { status: 401 });
  }
  // The pending step is over: the page itself would send the browser back to the password.
  const [message, status] =
    result.status === "too-many"
      ? ["Too many wrong codes for this account. Wait a quarter of an hour, then sign in again.", 429]
      : result.status === "wrong"
        ? ["That code is not right either, and that was the last try. Sign in with your password again.", 403]
        : ["This sign-in has expired or was never started. Sign in with your password first.", 403];
  throw new Response(message, { status, headers: { "Set-Cookie": await clearSecondStep() } });
}

export default function SecondStep() {
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({ lastResult, shouldValidate: "onSubmit", onValidate: ({ formData }) => parseWithZod(formData, { schema: secondStepSchema }) });
  return (
    <section className="panel narrow workspace-auth">
      <p className="eyebrow">Campaigner workspace</p>
      <h1>Enter your sign-in code</h1>
      <p>Open the authenticator app on your phone and enter the six-digit code it shows for Inkwell. Without your phone, enter one of your recovery codes.</p>
      <Form method="post" {...getFormProps(form)}>
        {form.errors?.length ? <p className="form-error" role="alert" id={form.errorId}>{form.errors[0]}</p> : null}
        <AdminInput field={fields.code} label="Code" autoComplete="one-time-code" />
        <button type="submit" className="button primary" disabled={busy}>Sign in</button>
      </Form>
      <p className="hint"><Link to="/admin/sign-in">Start again</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
