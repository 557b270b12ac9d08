import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { addCampaigner, campaignerEmailTaken, listCampaigners, setCampaignerDisabled, setCampaignerRole } from "#db/queries/workspace-campaigners";
import { CsrfInput } from "../components/admin/csrf-input";
import { AdminInput } from "../components/admin/field";
import { AdminSelect } from "../components/admin/select";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { addCampaignerSchema, changeCampaignerSchema } from "../forms/workspace-campaigners";
import { verifiedForm } from "../lib/auth.server";
import { requireAdmin } from "../lib/roles.server";
import { requestPasswordReset } from "../lib/campaigner-auth.server";
import { workspaceShape } from "../lib/form-body.server";

export const meta: MetaFunction = () => [{ title: "Campaigners — Inkwell workspace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireAdmin(request);
  return { me: session.campaigner.id, campaigners: await listCampaigners(db()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireAdmin(request);
  const formData = await verifiedForm(request, session, workspaceShape([addCampaignerSchema, changeCampaignerSchema]));
  const me = session.campaigner.id;
  if (intentOf(formData) === "add") {
    const submission = parseWithZod(formData, { schema: addCampaignerSchema });
    if (submission.status !== "success") return json({ intent: "add", result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
    const { email, name, role, password } = submission.value;
    if (await campaignerEmailTaken(db(), email)) {
      return json({ intent: "add", result: submission.reply({ fieldErrors: { email: ["There is already an account with this email."] }, hideFields: ["password"] }) }, { status: 409 });
    }
    await db().transaction().execute((trx) => addCampaigner(trx, me, { email, name, role, password }));
    if (!password) await requestPasswordReset(email);
    return json({ intent: "add", result: submission.reply({ resetForm: true }), added: password ? "with the temporary password" : "and emailed a link to choose a password" });
  }
  const submission = parseWithZod(formData, { schema: changeCampaignerSchema });
  if (submission.status !== "success") return json({ intent: "change", error: "Choose a campaigner and what to change." }, { status: 400 });
  const { campaignerId, role, disabled } = submission.value;
  if (campaignerId === me && (role === "campaigner" || disabled === "yes")) {
    return json({ intent: "change", error: "You cannot take away your own admin role or disable yourself: ask another admin." }, { status: 400 });
  }
  const found = await db().transaction().execute(async (trx) => {
    if (role && !(await setCampaignerRole(trx, me, campaignerId, role))) return false;
    if (disabled && !(await setCampaignerDisabled(trx, me, campaignerId, disabled === "yes"))) return false;
    return true;
  });
  if (!found) return json({ intent: "change", error: "That campaigner no longer exists." }, { status: 404 });
  return redirect("/admin/campaigners");
}

export default function Campaigners() {
  const { me, campaigners } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "add",
    lastResult: reply && "result" in reply ? reply.result : undefined,
    defaultValue: { role: "campaigner" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addCampaignerSchema }),
  });
  return (
    <section className="stack">
      <h1>Campaigners</h1>
      {reply && "error" in reply ? <p className="form-error" role="alert">{reply.error}</p> : null}
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Name</th><th>Email</th><th>Role</th><th className="num">Campaigns</th><th>Status</th><th>Change</th></tr></thead>
          <tbody>
            {campaigners.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.email}</td>
                <td>{c.role}</td>
                <td className="num">{c.campaigns}</td>
                <td>{c.disabled_at ? <span className="badge closed">disabled</span> : <span className="badge live">active</span>}</td>
                <td>
                  {c.id === me ? "you" : (
                    <Form method="post" className="button-row">
                      <CsrfInput />
                      <input type="hidden" name="campaignerId" value={c.id} />
                      <button type="submit" name="role" value={c.role === "admin" ? "campaigner" : "admin"} className="link-button">
                        {c.role === "admin" ? "Make campaigner" : "Make admin"}
                      </button>
                      <button type="submit" name="disabled" value={c.disabled_at ? "no" : "yes"} className="link-button">
                        {c.disabled_at ? "Enable" : "Disable"}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel">
        <h2>Add a campaigner</h2>
        {reply && "added" in reply ? <p className="notice" role="status">{`Added, ${String(reply.added)}.`}</p> : null}
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <AdminInput field={fields.email} label="Email" type="email" />
          <AdminInput field={fields.name} label="Name" />
          <AdminSelect field={fields.role} label="Role" options={[{ value: "campaigner", label: "Campaigner — their own and shared campaigns" }, { value: "admin", label: "Admin — everything, and these accounts" }]} />
          <AdminInput field={fields.password} label="Temporary password (optional)" type="password" hint="Leave empty to email them a link to choose their own." autoComplete="new-password" />
          <button type="submit" className="button primary" disabled={busy}>Add</button>
        </Form>
      </section>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
