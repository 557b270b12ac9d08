import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { getOfficial, updateOfficial } from "#db/queries/officials";
import { CsrfInput } from "../components/admin/csrf-input";
import { OfficialFields } from "../components/admin/official-fields";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { officialSchema } from "../forms/workspace-official";
import { requireCampaigner, verifiedForm } from "../lib/auth.server";
import { workspaceShape } from "../lib/form-body.server";
import { notFound } from "../lib/http.server";
import { mayEditOfficial, requireOfficialEditable } from "../lib/roles.server";
import { officialFields } from "../lib/officials.server";
import { nudgeDeliverySchedules } from "../lib/workspace.server";
import { releaseOfficial } from "#services/held-letters";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.name ?? "Official"} — Inkwell workspace` }];

async function load(request: Request, targetId: string | undefined) {
  const session = await requireCampaigner(request);
  const id = Number(targetId);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const official = await getOfficial(db(), id);
  if (!official) notFound();
  return { session, official, editable: await mayEditOfficial(session.campaigner, id) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { official: o, editable } = await load(request, params.targetId);
  return {
    name: o.name,
    editable,
    values: { name: o.name, title: o.title, organisation: o.organisation, country: o.country, email: o.email ?? "", postalAddress: o.postal_address, language: o.language, timeZone: o.time_zone, gender: o.gender ?? "neutral" },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, official, editable } = await load(request, params.targetId);
  const formData = await verifiedForm(request, session, workspaceShape(officialSchema));
  requireOfficialEditable(editable);
  const submission = parseWithZod(formData, { schema: officialSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await db().transaction().execute((trx) => updateOfficial(trx, session.campaigner.id, official.id, officialFields(submission.value)));
  await nudgeDeliverySchedules(); // a new time zone moves daily deliveries
  // A corrected address releases the letters held since the old one bounced.
  if (official.email !== submission.value.email) await releaseOfficial(db(), official.id);
  return json({ ...submission.reply(), saved: true });
}

export default function EditOfficial() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: data.values,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: officialSchema }),
  });
  return (
    <section className="stack">
      <h1>{data.name}</h1>
      {data.editable ? null : <p className="notice">This official receives letters from campaigns you do not work on, so only an admin can change them.</p>}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        {lastResult && "saved" in lastResult ? <p className="notice" role="status">Saved.</p> : null}
        <fieldset disabled={!data.editable} className="stack">
          <OfficialFields fields={fields} />
          <button type="submit" className="button primary" disabled={busy}>Save</button>
        </fieldset>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
