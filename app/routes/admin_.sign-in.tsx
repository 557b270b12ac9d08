import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { signInSchema } from "../forms/campaigner";
import { getCampaignerSession, startSession, verifySameOrigin } from "../lib/auth.server";
import { formShape, readForm } from "../lib/form-body.server";
import { checkCredentials } from "../lib/campaigner-auth.server";
import { safeLocalPath } from "../lib/http.server";
import { limitHeaders } from "../lib/rate-limit.server";
import { SECOND_STEP_PATH, beginSecondStep } from "../lib/sign-in-challenge.server";
import { limitedSignIn } from "../lib/sign-in-limits.server";

export const meta: MetaFunction = () => [{ title: "Sign in — Inkwell workspace" }, { name: "robots", content: "noindex" }];
export const headers = limitHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeLocalPath(new URL(request.url).searchParams.get("next"), "/admin");
  if (await getCampaignerSession(request)) throw redirect(next);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  verifySameOrigin(request);
  const submission = parseWithZod(await readForm(request, formShape(signInSchema)), { schema: signInSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const { email, password, next } = submission.value;
  const campaigner = await limitedSignIn(request, context.clientIp, email, () => checkCredentials(email, password));
  if (!campaigner) {
    return json(submission.reply({ formErrors: ["That email and password do not match an account."], hideFields: ["password"] }), { status: 401 });
  }
  const secondStep = await beginSecondStep(campaigner.id, safeLocalPath(next, "/admin"));
  if (secondStep) return redirect(SECOND_STEP_PATH, { headers: { "Set-Cookie": secondStep } });
  return redirect(safeLocalPath(next, "/admin"), { headers: { "Set-Cookie": await startSession(campaigner.id) } });
}

export default function SignIn() {
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signInSchema }),
  });
  return (
    <section className="panel narrow workspace-auth">
      <p className="eyebrow">Campaigner workspace</p>
      <h1>Sign in</h1>
      <Form method="post" {...getFormProps(form)}>
        {form.errors?.length ? <p className="form-error" role="alert" id={form.errorId}>{form.errors[0]}</p> : null}
        <input type="hidden" name="next" value={params.get("next") ?? "/admin"} />
        <AdminInput field={fields.email} label="Email" type="email" autoComplete="username" />
        <AdminInput field={fields.password} label="Password" type="password" autoComplete="current-password" />
        <button type="submit" className="button primary" disabled={busy}>Sign in</button>
      </Form>
      <p className="hint"><Link to="/admin/forgot-password">Forgot your password?</Link></p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
