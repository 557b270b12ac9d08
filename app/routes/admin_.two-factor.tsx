import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import adminStyles from "../admin.css";
import { db } from "#db/client";
import { twoFactorOf, unusedRecoveryCodes } from "#db/queries/two-factor";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { currentCodeSchema, enableTwoFactorSchema } from "../forms/two-factor";
import { workspaceShape } from "../lib/form-body.server";
import { getCampaignerSession, verifiedForm } from "../lib/auth.server";
import { confirmTwoFactor, regenerateRecoveryCodes, turnOffTwoFactor, type AccountChange } from "../lib/two-factor-account.server";
import { TWO_FACTOR_PATH, needsTwoFactorSetUp } from "../lib/two-factor-policy.server";
import { pendingEnrolment } from "../lib/two-factor.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminStyles }];
export const meta: MetaFunction = () => [{ title: "Two-step sign-in — Inkwell workspace" }, { name: "robots", content: "noindex" }];
// The page carries a secret (and, after a change, recovery codes): never kept by a cache.
export const headers = () => ({ "Cache-Control": "no-store" });

// Outside the workspace layout on purpose: a campaigner who must set this up reaches it and nothing else.
async function signedIn(request: Request) {
  const session = await getCampaignerSession(request);
  if (!session) throw redirect(`/admin/sign-in?next=${encodeURIComponent(TWO_FACTOR_PATH)}`);
  return session;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await signedIn(request);
  const me = session.campaigner;
  const row = await twoFactorOf(db(), me.id);
  const enabled = Boolean(row?.enabled_at);
  return {
    csrf: session.csrfToken,
    required: await needsTwoFactorSetUp(me.id),
    enabledAt: row?.enabled_at ?? null,
    recoveryLeft: enabled ? await unusedRecoveryCodes(db(), me.id) : 0,
    enrolment: enabled ? null : await pendingEnrolment(me),
  };
}

const PROBLEMS: Record<Exclude<AccountChange, { ok: true }>["problem"], string> = {
  wrong: "That code is not right, or was already used. Enter the code your app shows now.",
  "too-many": "Too many wrong codes. Wait a quarter of an hour and try again.",
  already: "That was already done. Reload the page to see where things stand.",
};

export async function action({ request }: ActionFunctionArgs) {
  const session = await signedIn(request);
  const formData = await verifiedForm(request, session, workspaceShape([enableTwoFactorSchema, currentCodeSchema]));
  const me = session.campaigner.id;
  const intent = intentOf(formData);
  const schema = intent === "enable" ? enableTwoFactorSchema : currentCodeSchema;
  if (!["enable", "recovery-codes", "disable"].includes(intent)) return json({ intent, error: "Choose what to do: set up, new recovery codes or turn off." }, { status: 400 });
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return json({ intent, error: submission.error?.code?.[0] ?? "Enter a code." }, { status: 400 });
  const code = submission.value.code;
  const change = intent === "enable" ? await confirmTwoFactor(me, code, session.sessionId) : intent === "recovery-codes" ? await regenerateRecoveryCodes(me, code) : await turnOffTwoFactor(me, code);
  if (!change.ok) return json({ intent, error: PROBLEMS[change.problem] }, { status: change.problem === "too-many" ? 429 : 400 });
  return json({ intent, done: true, recoveryCodes: change.recoveryCodes ?? null }, { headers: { "Cache-Control": "no-store" } });
}

export default function TwoFactor() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const error = (intent: string) => (reply && reply.intent === intent && "error" in reply ? reply.error : null);
  const codes = reply && "recoveryCodes" in reply ? reply.recoveryCodes : null;
  return (
    <section className="panel narrow workspace-auth stack">
      <p className="eyebrow">Campaigner workspace</p>
      <h1>Two-step sign-in</h1>
      {codes ? (
        <section aria-labelledby="codes-title">
          <h2 id="codes-title">{reply?.intent === "enable" ? "Two-step sign-in is on. Save your recovery codes" : "Your new recovery codes"}</h2>
          <p>Each code lets you sign in once without your phone. Keep them somewhere safe, away from your phone: they are shown only now. Any earlier codes no longer work.</p>
          <ul className="recovery-codes">{codes.map((c) => <li key={c}><code>{c}</code></li>)}</ul>
          <p><Link to="/admin/account" className="button primary">I have saved them</Link></p>
        </section>
      ) : null}
      {reply && reply.intent === "disable" && "done" in reply ? <p className="notice" role="status">Two-step sign-in is off. You can set it up again below.</p> : null}
      {data.enrolment ? (
        <>
          {data.required ? <p className="notice" role="status">Your organisation requires two-step sign-in for the workspace. Set it up to continue.</p> : null}
          <p>After your password, Inkwell will ask for a six-digit code from an authenticator app on your phone, so a stolen password alone does not open your account.</p>
          <ol>
            <li>Install an authenticator app on your phone, if you have none yet.</li>
            <li>Scan this code with the app, or type the key below into it.</li>
            <li>Enter the six-digit code the app then shows.</li>
          </ol>
          <div className="qr" role="img" aria-label="QR code for your authenticator app" dangerouslySetInnerHTML={{ __html: data.enrolment.qrSvg }} />
          <p>Key for typing in: <code className="secret">{data.enrolment.secretText}</code></p>
          <CodeForm intent="enable" csrf={data.csrf} label="Code from the app" button="Turn on two-step sign-in" error={error("enable")} busy={busy} />
        </>
      ) : (
        <>
          <p>Two-step sign-in is on{data.enabledAt ? ` since ${new Date(data.enabledAt).toISOString().slice(0, 10)}` : ""}. You have {data.recoveryLeft} unused recovery {data.recoveryLeft === 1 ? "code" : "codes"}.</p>
          <h2>New recovery codes</h2>
          <p>Makes ten new codes and stops the old ones working.</p>
          <CodeForm intent="recovery-codes" csrf={data.csrf} label="Code from your app (or a recovery code)" button="Make new recovery codes" error={error("recovery-codes")} busy={busy} />
          <h2>Turn off</h2>
          <CodeForm intent="disable" csrf={data.csrf} label="Code from your app (or a recovery code)" button="Turn off two-step sign-in" error={error("disable")} busy={busy} />
        </>
      )}
      <div className="actions">
        {data.required ? null : <Link to="/admin/account">Back to your account</Link>}
        <Form method="post" action="/admin/sign-out" className="inline-form">
          <input type="hidden" name="csrf" value={data.csrf} />
          <button type="submit" className="link-button">Sign out</button>
        </Form>
      </div>
    </section>
  );
}

function CodeForm({ intent, csrf, label, button, error, busy }: { intent: string; csrf: string; label: string; button: string; error: string | null; busy: boolean }) {
  const id = `code-${intent}`;
  return (
    <Form method="post">
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="intent" value={intent} />
      <div className={error ? "field has-error" : "field"}>
        <label htmlFor={id}>{label}</label>
        <input id={id} name="code" autoComplete="one-time-code" required aria-invalid={error ? true : undefined} aria-describedby={`${id}-error`} />
        <p className="field-error" id={`${id}-error`} aria-live="polite">{error}</p>
      </div>
      <button type="submit" className={intent === "disable" ? "button" : "button primary"} disabled={busy}>{button}</button>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
