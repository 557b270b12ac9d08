import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import {
  NEXT_STATUS, changeStatus, duplicateCampaign, getCampaignForEdit, isSlugTaken, isUniqueViolation, shareCampaign, unshareCampaign, updateCampaign,
} from "#db/queries/workspace-campaigns";
import { CampaignFields } from "../components/admin/campaign-fields";
import { CsrfInput } from "../components/admin/csrf-input";
import { AdminInput } from "../components/admin/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { campaignSchema, duplicateSchema, shareSchema, statusSchema, unshareSchema } from "../forms/workspace-campaign";
import { intentOf } from "../forms/workspace-common";
import { verifiedForm } from "../lib/auth.server";
import { mayShareCampaign, requireCampaignAccess, requireShareRight } from "../lib/roles.server";
import { imageUrlProblem } from "../lib/image-hosts.server";
import { workspaceShape } from "../lib/form-body.server";
import { campaignFields, nudgeDeliverySchedules } from "../lib/workspace.server";
import { EmbedSettings } from "../components/admin/embed-settings";
import { embedsSchema } from "../forms/embeds";
import { embedSettingsView, saveEmbedOrigins } from "../lib/embed-settings.server";

const STEP_LABELS = { live: "Launch", closed: "Close", archived: "Archive" } as const;
const TAKEN_ERRORS = { slug: ["Another campaign already uses this address. Choose another."] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const found = (await getCampaignForEdit(db(), campaign.id))!;
  const words = Object.fromEntries(found.translations.flatMap((t) => [[`title_${t.language}`, t.title], [`summary_${t.language}`, t.summary], [`story_${t.language}`, t.story]]));
  const c = found.campaign;
  return {
    id: c.id,
    status: c.status,
    next: NEXT_STATUS[c.status],
    values: { slug: c.slug, goal: String(c.goal), imageUrl: c.image_url ?? "", defaultLanguage: c.default_language, ...words },
    members: found.members,
    canShare: await mayShareCampaign(session.campaigner, c.id),
    embeds: await embedSettingsView(c.id, c.slug),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const formData = await verifiedForm(request, session, workspaceShape([campaignSchema, statusSchema, duplicateSchema, shareSchema, unshareSchema, embedsSchema]));
  const me = session.campaigner.id;
  const intent = intentOf(formData);
  if (intent === "save") {
    const submission = parseWithZod(formData, { schema: campaignSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
    const imageProblem = imageUrlProblem(submission.value.imageUrl);
    if (imageProblem) return json({ intent, result: submission.reply({ fieldErrors: { imageUrl: [imageProblem] } }) }, { status: 400 });
    const fields = campaignFields(submission.value);
    if (await isSlugTaken(db(), fields.slug, campaign.id)) return json({ intent, result: submission.reply({ fieldErrors: TAKEN_ERRORS }) }, { status: 409 });
    try {
      await db().transaction().execute((trx) => updateCampaign(trx, me, campaign.id, fields));
    } catch (err) {
      if (isUniqueViolation(err)) return json({ intent, result: submission.reply({ fieldErrors: TAKEN_ERRORS }) }, { status: 409 });
      throw err;
    }
    return json({ intent, result: submission.reply(), saved: true });
  }
  if (intent === "embeds") {
    const submission = parseWithZod(formData, { schema: embedsSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
    const problem = await saveEmbedOrigins(me, campaign.id, submission.value.embedOrigins ?? "");
    if (problem) return json({ intent, result: submission.reply({ fieldErrors: { embedOrigins: [problem] } }) }, { status: 400 });
    return json({ intent, result: submission.reply(), saved: true });
  }
  if (intent === "status") {
    const submission = parseWithZod(formData, { schema: statusSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
    const problem = await db().transaction().execute((trx) => changeStatus(trx, me, campaign.id, submission.value.to));
    if (problem) return json({ intent, result: submission.reply({ formErrors: [problem] }) }, { status: 409 });
    await nudgeDeliverySchedules();
    return redirect(`/admin/campaigns/${campaign.id}/edit`);
  }
  if (intent === "duplicate") {
    const submission = parseWithZod(formData, { schema: duplicateSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
    if (await isSlugTaken(db(), submission.value.slug)) return json({ intent, result: submission.reply({ fieldErrors: TAKEN_ERRORS }) }, { status: 409 });
    try {
      const copy = await db().transaction().execute((trx) => duplicateCampaign(trx, me, campaign.id, submission.value.slug));
      return redirect(`/admin/campaigns/${copy}/edit`);
    } catch (err) {
      if (isUniqueViolation(err)) return json({ intent, result: submission.reply({ fieldErrors: TAKEN_ERRORS }) }, { status: 409 });
      throw err;
    }
  }
  if (intent === "share" || intent === "unshare") {
    await requireShareRight(session.campaigner, campaign.id);
    if (intent === "share") {
      const submission = parseWithZod(formData, { schema: shareSchema });
      if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
      await db().transaction().execute((trx) => shareCampaign(trx, me, campaign.id, submission.value.email));
      return json({ intent, result: submission.reply({ resetForm: true }), shared: true });
    }
    const submission = parseWithZod(formData, { schema: unshareSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply() }, { status: 400 });
    const problem = await db().transaction().execute((trx) => unshareCampaign(trx, me, campaign.id, submission.value.campaignerId));
    if (problem) return json({ intent, result: submission.reply({ formErrors: [problem] }) }, { status: 400 });
    return redirect(`/admin/campaigns/${campaign.id}/edit`);
  }
  throw new Response("This form is not known here. Reload the page and try again.", { status: 400 });
}

export default function EditCampaign() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const resultFor = (intent: string) => (reply && "intent" in reply && reply.intent === intent ? reply.result : undefined);
  const [form, fields] = useForm({
    id: "campaign",
    lastResult: resultFor("save"),
    defaultValue: data.values,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: campaignSchema }),
  });
  const formErrorOf = (intent: string) => resultFor(intent)?.error?.[""]?.[0];
  const [dupForm, dupFields] = useForm({ id: "duplicate", lastResult: resultFor("duplicate"), onValidate: ({ formData }) => parseWithZod(formData, { schema: duplicateSchema }) });
  const [shareForm, shareFields] = useForm({ id: "share", lastResult: resultFor("share"), onValidate: ({ formData }) => parseWithZod(formData, { schema: shareSchema }) });
  return (
    <div className="stack">
      <section className="panel">
        <h2>Lifecycle</h2>
        <p>This campaign is <span className={`badge ${data.status}`}>{data.status}</span>. Drafts are seen only here; live campaigns take actions; closed ones stay readable; archived ones leave the site.</p>
        {formErrorOf("status") ? <p className="form-error" role="alert">{formErrorOf("status")}</p> : null}
        <div className="button-row">
          {data.next.map((to) => (
            <Form key={to} method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="status" />
              <button type="submit" name="to" value={to} className="button" disabled={busy}>{STEP_LABELS[to as keyof typeof STEP_LABELS]}</button>
            </Form>
          ))}
        </div>
      </section>

      <Form method="post" className="stack" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        {reply && "saved" in reply && reply.intent === "save" ? <p className="notice" role="status">Saved.</p> : null}
        {form.errors?.length ? <p className="form-error" role="alert">{form.errors[0]}</p> : null}
        <CampaignFields fields={fields} />
        <button type="submit" className="button primary" disabled={busy}>Save</button>
      </Form>

      <EmbedSettings view={data.embeds} lastResult={resultFor("embeds")} saved={Boolean(reply && "saved" in reply && reply.intent === "embeds")} busy={busy} />

      <section className="panel">
        <h2>Duplicate</h2>
        <p className="hint">Copies the words, calls to action and officials into a new draft. Signatures stay here.</p>
        <Form method="post" {...getFormProps(dupForm)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="duplicate" />
          <AdminInput field={dupFields.slug} label="Address of the copy" />
          <button type="submit" className="button" disabled={busy}>Duplicate</button>
        </Form>
      </section>

      <section className="panel">
        <h2>Who works on it</h2>
        <ul>
          {data.members.map((m) => (
            <li key={m.id}>
              {m.name} ({m.email}) · {m.role}
              {data.canShare && m.role === "editor" ? (
                <Form method="post" className="inline-form">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="unshare" />
                  <input type="hidden" name="campaignerId" value={m.id} />
                  {" "}<button type="submit" className="link-button">Remove</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {formErrorOf("unshare") ? <p className="form-error" role="alert">{formErrorOf("unshare")}</p> : null}
        {data.canShare ? (
          <Form method="post" {...getFormProps(shareForm)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="share" />
            {reply && "shared" in reply ? <p className="notice" role="status">If that address belongs to an active campaigner, they can now work on this campaign.</p> : null}
            <AdminInput field={shareFields.email} label="Share with (campaigner's email)" type="email" />
            <button type="submit" className="button" disabled={busy}>Share</button>
          </Form>
        ) : <p className="hint">Only the owner or an admin can share this campaign.</p>}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
