import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { createApiKey, listApiKeys, reachableCampaigns, revokeApiKey } from "#db/queries/api-keys";
import { listWorkspaceCampaigns } from "#db/queries/workspace-campaigns";
import { CsrfInput } from "../components/admin/csrf-input";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { createApiKeySchema, revokeApiKeySchema } from "../forms/workspace-api-keys";
import { requireCampaigner, verifiedForm } from "../lib/auth.server";

export const meta: MetaFunction = () => [{ title: "API keys — Inkwell workspace" }];

const SCOPES = [
  { value: "read", label: "Read campaigns, petitions and letter actions with their counts" },
  { value: "people", label: "Read people, signatures and letters (personal data)" },
  { value: "write", label: "Record signatures and letters (each still confirmed by email)" },
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireCampaigner(request);
  const [keys, campaigns] = await Promise.all([listApiKeys(db(), session.campaigner.id), listWorkspaceCampaigns(db(), session.campaigner)]);
  return { keys, campaigns: campaigns.map((c) => ({ id: c.id, title: c.title, slug: c.slug })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireCampaigner(request);
  const formData = await verifiedForm(request, session);
  const me = session.campaigner;
  if (intentOf(formData) === "revoke") {
    const submission = parseWithZod(formData, { schema: revokeApiKeySchema });
    if (submission.status !== "success") return json({ intent: "revoke", error: "Choose a key to revoke." }, { status: 400 });
    const done = await db().transaction().execute((trx) => revokeApiKey(trx, me.id, submission.value.keyId));
    if (!done) return json({ intent: "revoke", error: "That key does not exist or was already revoked." }, { status: 404 });
    return json({ intent: "revoke", revoked: true });
  }
  const submission = parseWithZod(formData, { schema: createApiKeySchema });
  if (submission.status !== "success") return json({ intent: "create", result: submission.reply() }, { status: 400 });
  const { name, scopes, campaigns } = submission.value;
  if ((await reachableCampaigns(db(), me, campaigns)).length !== new Set(campaigns).size) {
    return json({ intent: "create", result: submission.reply({ fieldErrors: { campaigns: ["Choose among the campaigns listed."] } }) }, { status: 400 });
  }
  const created = await db().transaction().execute((trx) => createApiKey(trx, me, { name, scopes: [...new Set(scopes)], campaignIds: [...new Set(campaigns)] }));
  // The key is in this one answer only; it is never stored or shown again.
  return json({ intent: "create", result: submission.reply({ resetForm: true }), key: created.key }, { headers: { "Cache-Control": "no-store" } });
}

const when = (d: string | null) => (d ? new Date(d).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC" : "never");

export default function ApiKeys() {
  const { keys, campaigns } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "create-key",
    lastResult: reply && "result" in reply ? reply.result : undefined,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createApiKeySchema }),
  });
  return (
    <section className="stack">
      <h1>API keys</h1>
      <p>
        Keys let another system (a CRM, a partner&apos;s site) use Inkwell&apos;s <a href="/api/docs">OSDI API</a> in your name, for the campaigns you choose.
        Send a key in the <code>OSDI-API-Token</code> header.
      </p>
      {reply && "key" in reply ? (
        <div className="notice" role="status">
          <p>Your new key. Copy it now: it is shown only this once.</p>
          <p><code className="secret" data-testid="new-api-key">{String(reply.key)}</code></p>
        </div>
      ) : null}
      {reply && "error" in reply ? <p className="form-error" role="alert">{reply.error}</p> : null}
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Name</th><th>Key starts</th><th>Scopes</th><th>Campaigns</th><th>Created</th><th>Last used</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {keys.length === 0 ? <tr><td colSpan={7}>No keys yet.</td></tr> : null}
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td><code>{k.prefix}…</code></td>
                <td>{k.scopes.join(", ")}</td>
                <td>{k.campaigns.join(", ")}</td>
                <td>{when(k.created_at)}</td>
                <td>{when(k.last_used_at)}</td>
                <td>
                  {k.revoked_at ? <span className="badge closed">revoked</span> : (
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="keyId" value={k.id} />
                      <button type="submit" className="link-button">Revoke</button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel">
        <h2>Create a key</h2>
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <AdminInput field={fields.name} label="Name" />
          <fieldset>
            <legend>What it may do</legend>
            {SCOPES.map((s) => (
              <label key={s.value} className="check"><input type="checkbox" name="scopes" value={s.value} /> {s.label}</label>
            ))}
            {fields.scopes.errors ? <p className="field-error" id={fields.scopes.errorId}>{fields.scopes.errors.join(" ")}</p> : null}
          </fieldset>
          <fieldset>
            <legend>Campaigns it reaches</legend>
            {campaigns.length === 0 ? <p>You have no campaigns yet.</p> : null}
            {campaigns.map((c) => (
              <label key={c.id} className="check"><input type="checkbox" name="campaigns" value={c.id} /> {c.title} <small>({c.slug})</small></label>
            ))}
            {fields.campaigns.errors ? <p className="field-error" id={fields.campaigns.errorId}>{fields.campaigns.errors.join(" ")}</p> : null}
          </fieldset>
          <button type="submit" className="button primary" disabled={busy}>Create key</button>
        </Form>
      </section>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
