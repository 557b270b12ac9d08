import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { listTwoFactorStatus, resetTwoFactor, securitySettings, setTwoFactorRequired } from "#db/queries/two-factor";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { requireTwoFactorSchema, resetTwoFactorSchema } from "../forms/two-factor";
import { verifiedForm } from "../lib/auth.server";
import { requireAdmin } from "../lib/roles.server";
import { workspaceShape } from "../lib/form-body.server";

export const meta: MetaFunction = () => [{ title: "Sign-in security — Inkwell workspace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireAdmin(request);
  const [settings, accounts] = await Promise.all([securitySettings(db()), listTwoFactorStatus(db())]);
  return { me: session.campaigner.id, required: settings.two_factor_required, accounts };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireAdmin(request);
  const formData = await verifiedForm(request, session, workspaceShape([requireTwoFactorSchema, resetTwoFactorSchema]));
  const me = session.campaigner.id;
  if (intentOf(formData) === "require") {
    const submission = parseWithZod(formData, { schema: requireTwoFactorSchema });
    if (submission.status !== "success") return json({ error: "Choose whether two-step sign-in is required." }, { status: 400 });
    await db().transaction().execute((trx) => setTwoFactorRequired(trx, me, submission.value.required === "on"));
    return redirect("/admin/security");
  }
  if (intentOf(formData) === "reset") {
    const submission = parseWithZod(formData, { schema: resetTwoFactorSchema });
    if (submission.status !== "success") return json({ error: "Choose an account to reset." }, { status: 400 });
    const id = submission.value.campaigner;
    if (id === me) return json({ error: "Turn your own two-step sign-in off from your account page, with a current code." }, { status: 400 });
    const done = await db().transaction().execute((trx) => resetTwoFactor(trx, me, id));
    if (!done) return json({ error: "That account has no two-step sign-in to reset." }, { status: 404 });
    return redirect("/admin/security");
  }
  return json({ error: "Choose what to change." }, { status: 400 });
}

export default function Security() {
  const { me, required, accounts } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="stack">
      <h1>Sign-in security</h1>
      {reply?.error ? <p className="form-error" role="alert">{reply.error}</p> : null}
      <section className="panel">
        <h2>Two-step sign-in for everyone</h2>
        <p>
          {required
            ? "Required: every campaigner signs in with a code from an authenticator app. Anyone who has not set it up is sent to do so and can do nothing else until they have."
            : "Optional: each campaigner chooses whether to sign in with a code as well as a password."}
        </p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="require" />
          <input type="hidden" name="required" value={required ? "off" : "on"} />
          <button type="submit" className={required ? "button" : "button primary"} disabled={busy}>{required ? "Stop requiring it" : "Require it for everyone"}</button>
        </Form>
      </section>
      <section className="panel">
        <h2>Accounts</h2>
        <p className="hint">Resetting clears a lost phone&apos;s set-up and ends that person&apos;s sessions; they sign in with their password and set it up again.</p>
        <div className="table-wrap" tabIndex={0}>
          <table className="data">
            <thead><tr><th>Name</th><th>Email</th><th>Two-step sign-in</th><th>Recovery codes left</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}{a.disabled_at ? " (disabled)" : ""}</td>
                  <td>{a.email}</td>
                  <td>{a.enabled_at ? `On since ${new Date(a.enabled_at).toISOString().slice(0, 10)}` : "Off"}</td>
                  <td>{a.enabled_at ? a.recovery_left : "—"}</td>
                  <td>
                    {a.enabled_at && a.id !== me ? (
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="reset" />
                        <input type="hidden" name="campaigner" value={a.id} />
                        <button type="submit" className="link-button" disabled={busy}>Reset</button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
