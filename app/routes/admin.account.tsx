import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { listSessions } from "#db/queries/campaigners";
import { twoFactorOf } from "#db/queries/two-factor";
import { changePassword, passwordHashOf, revokeOwnSessions } from "#db/queries/workspace-campaigners";
import { verifyPassword } from "#core/passwords";
import { CsrfInput } from "../components/admin/csrf-input";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { changePasswordSchema, revokeSchema } from "../forms/workspace-campaigners";
import { alertSettingsSchema } from "../forms/staff-alerts";
import { alertSettings, saveAlertSettings } from "#db/queries/staff-notices";
import { ALERT_KIND_LABELS, ALERT_KIND_ORDER } from "#emails/staff-alert-text";
import { requireCampaigner, verifiedForm } from "../lib/auth.server";
import { workspaceShape } from "../lib/form-body.server";
import { enforceLimit } from "../lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Your account — Inkwell workspace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireCampaigner(request);
  const sessions = await listSessions(db(), session.campaigner.id);
  return {
    campaigner: session.campaigner,
    sessions: sessions.map((s) => ({ id: s.id.toString("hex"), current: s.id.equals(session.sessionId), createdAt: s.created_at, lastSeenAt: s.last_seen_at, secondFactor: s.second_factor })),
    twoFactorOn: Boolean((await twoFactorOf(db(), session.campaigner.id))?.enabled_at),
    alerts: await alertSettings(db(), session.campaigner.id),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireCampaigner(request);
  const formData = await verifiedForm(request, session, workspaceShape([changePasswordSchema, revokeSchema, alertSettingsSchema]));
  const me = session.campaigner.id;
  if (intentOf(formData) === "alerts") {
    const submission = parseWithZod(formData, { schema: alertSettingsSchema });
    if (submission.status !== "success") return json({ intent: "alerts", alertsError: "Choose at once or a daily digest, and among the listed alerts." }, { status: 400 });
    const wanted = new Set(submission.value.kinds ?? []);
    await saveAlertSettings(db(), me, { emailMode: submission.value.mode, muted: ALERT_KIND_ORDER.filter((k) => !wanted.has(k)) });
    return json({ intent: "alerts", alertsSaved: true });
  }
  if (intentOf(formData) === "password") {
    const submission = parseWithZod(formData, { schema: changePasswordSchema });
    const hide = ["current", "password", "confirm"];
    if (submission.status !== "success") return json({ intent: "password", result: submission.reply({ hideFields: hide }) }, { status: 400 });
    await enforceLimit(request, "signin-email", session.campaigner.email);
    const ok = await verifyPassword(submission.value.current, (await passwordHashOf(db(), me)) ?? "");
    if (!ok) return json({ intent: "password", result: submission.reply({ fieldErrors: { current: ["That is not your current password."] }, hideFields: hide }) }, { status: 400 });
    await db().transaction().execute((trx) => changePassword(trx, me, submission.value.password, session.sessionId));
    return json({ intent: "password", result: submission.reply({ resetForm: true }), changed: true });
  }
  const submission = parseWithZod(formData, { schema: revokeSchema });
  if (submission.status !== "success") return json({ intent: "revoke", error: "Choose a session to end." }, { status: 400 });
  const one = submission.value.session;
  await db().transaction().execute((trx) => revokeOwnSessions(trx, me, one ? { id: Buffer.from(one, "hex") } : { allBut: session.sessionId }));
  return redirect(one && Buffer.from(one, "hex").equals(session.sessionId) ? "/admin/sign-in" : "/admin/account");
}

export default function Account() {
  const { campaigner, sessions, twoFactorOn, alerts } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "password",
    lastResult: reply && "result" in reply ? reply.result : undefined,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  const when = (d: string) => new Date(d).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
  return (
    <section className="stack">
      <h1>Your account</h1>
      <p>{campaigner.name} · {campaigner.email} · {campaigner.role}</p>
      <section className="panel">
        <h2>Where you are signed in</h2>
        {reply && "error" in reply ? <p className="form-error" role="alert">{String(reply.error)}</p> : null}
        <div className="table-wrap" tabIndex={0}>
          <table className="data">
            <thead><tr><th>Signed in</th><th>Last used</th><th>Second step</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>{when(s.createdAt)}</td>
                  <td>{when(s.lastSeenAt)}{s.current ? " (this browser)" : ""}</td>
                  <td>{SECOND_STEP[s.secondFactor ?? "none"]}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      <input type="hidden" name="session" value={s.id} />
                      <button type="submit" className="link-button">{s.current ? "Sign out here" : "End this session"}</button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Form method="post">
          <CsrfInput />
          <button type="submit" className="button" disabled={busy || sessions.length < 2}>Sign out everywhere else</button>
        </Form>
      </section>
      <section className="panel">
        <h2>Two-step sign-in</h2>
        <p>{twoFactorOn ? "On: signing in asks for a code from your authenticator app after your password." : "Off: your password alone opens your account."}</p>
        <p><Link to="/admin/two-factor" className="button">{twoFactorOn ? "Manage two-step sign-in" : "Set up two-step sign-in"}</Link></p>
      </section>
      <section className="panel" id="alerts">
        <h2>Alerts</h2>
        <p className="hint">
          Alerts about the campaigns you work on come by email and as <Link to="/admin/notices">notices</Link> in the workspace.
          A kind you switch off sends neither. Your choices apply to alerts from now on.
        </p>
        {reply && "alertsSaved" in reply ? <p className="notice" role="status">Alert choices saved.</p> : null}
        {reply && "alertsError" in reply ? <p className="form-error" role="alert">{String(reply.alertsError)}</p> : null}
        <Form method="post" className="stack">
          <CsrfInput />
          <input type="hidden" name="intent" value="alerts" />
          <fieldset>
            <legend>Tell me when</legend>
            {ALERT_KIND_ORDER.map((k) => (
              <label key={k} className="check">
                <input type="checkbox" name="kinds" value={k} defaultChecked={!alerts.muted.includes(k)} /> {ALERT_KIND_LABELS[k]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Emails</legend>
            <label className="check"><input type="radio" name="mode" value="immediate" defaultChecked={alerts.emailMode === "immediate"} /> One email for each alert, at once</label>
            <label className="check"><input type="radio" name="mode" value="digest" defaultChecked={alerts.emailMode === "digest"} /> One daily digest with everything since the last one (nothing if nothing happened)</label>
          </fieldset>
          <button type="submit" className="button primary" disabled={busy}>Save alert choices</button>
        </Form>
      </section>
      <section className="panel">
        <h2>Change your password</h2>
        {reply && "changed" in reply ? <p className="notice" role="status">Password changed. Your other sessions have ended.</p> : null}
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="password" />
          <AdminInput field={fields.current} label="Current password" type="password" autoComplete="current-password" />
          <AdminInput field={fields.password} label="New password" type="password" hint="At least 12 characters." autoComplete="new-password" />
          <AdminInput field={fields.confirm} label="New password again" type="password" autoComplete="new-password" />
          <button type="submit" className="button primary" disabled={busy}>Change password</button>
        </Form>
      </section>
    </section>
  );
}

const SECOND_STEP = { totp: "Authenticator code", recovery: "Recovery code", none: "Password only" } as const;

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
