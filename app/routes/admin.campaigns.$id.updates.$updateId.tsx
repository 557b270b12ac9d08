import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { campaignLanguages, getUpdate, updateStats } from "#db/queries/updates";
import { CsrfInput } from "../components/admin/csrf-input";
import { AdminInput } from "../components/admin/field";
import { UpdateFields } from "../components/admin/update-fields";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { parseUtc, textsOf, updateSchema } from "../forms/update";
import { LANGUAGES, intentOf } from "../forms/workspace-common";
import { verifiedForm } from "../lib/auth.server";
import { requireCampaignAccess } from "../lib/roles.server";
import { workspaceShape } from "../lib/form-body.server";
import { notFound } from "../lib/http.server";
import { cancelScheduled, previewUpdate, saveDraft, scheduleSend, sendTestToMe } from "../lib/update-workspace.server";

export const meta: MetaFunction = () => [{ title: "Update — Inkwell workspace" }];

async function load(request: Request, params: { id?: string; updateId?: string }) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const updateId = Number(params.updateId);
  const update = Number.isSafeInteger(updateId) && updateId > 0 ? await getUpdate(db(), updateId, campaign.id) : undefined;
  if (!update) notFound();
  return { session, campaign, update };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign, update } = await load(request, params);
  const languages = await campaignLanguages(db(), campaign.id);
  const texts = update.translations.map((t) => ({ language: t.language, subject: t.subject, body: t.body_markdown }));
  const previews = await Promise.all(languages.map(async (language) => ({ language, mail: await previewUpdate(campaign.id, texts, language) })));
  return {
    campaignId: campaign.id,
    update: { id: update.id, status: update.status, scheduledFor: update.scheduled_for?.toISOString() ?? null, sentAt: update.sent_at?.toISOString() ?? null },
    languages,
    values: Object.fromEntries(texts.flatMap((t) => [[`subject_${t.language}`, t.subject], [`body_${t.language}`, t.body]])),
    previews,
    stats: await updateStats(db(), update.id),
  };
}

const STARTED = "This update has already started; it can no longer be changed.";

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, campaign, update } = await load(request, params);
  const formData = await verifiedForm(request, session, workspaceShape(updateSchema([...LANGUAGES], "save")));
  const who = { campaignerId: session.campaigner.id, campaignId: campaign.id };
  const intent = intentOf(formData);
  if (intent === "cancel") {
    if (!(await cancelScheduled(who, update))) return json({ intent, result: null, error: STARTED }, { status: 409 });
    return json({ intent, result: null, notice: "Cancelled. Nothing was sent." });
  }
  if (!["save", "test", "send", "schedule"].includes(intent)) throw new Response("This form is not known here. Reload the page and try again.", { status: 400 });
  const languages = await campaignLanguages(db(), campaign.id);
  const submission = parseWithZod(formData, { schema: updateSchema(languages, intent) });
  if (submission.status !== "success") return json({ intent, result: submission.reply(), error: null }, { status: 400 });
  const texts = textsOf(submission.value, languages);
  if (intent === "send" || intent === "schedule") {
    const at = intent === "send" ? new Date() : parseUtc(submission.value.scheduleAt as string)!;
    if (!(await scheduleSend(who, update.id, texts, at, intent === "send"))) return json({ intent, result: submission.reply(), error: STARTED }, { status: 409 });
    return json({ intent, result: submission.reply(), notice: intent === "send" ? "Sending has started." : `Scheduled for ${at.toISOString().slice(0, 16).replace("T", " ")} UTC.` });
  }
  if (!(await saveDraft(who, update.id, texts))) return json({ intent, result: submission.reply(), error: STARTED }, { status: 409 });
  if (intent === "test") {
    await sendTestToMe({ ...who, email: session.campaigner.email }, update.id, texts);
    return json({ intent, result: submission.reply(), notice: `A test was sent to ${session.campaigner.email}.` });
  }
  return json({ intent, result: submission.reply(), notice: "Saved." });
}

/** One update: its figures, its words (editable until it starts), previews, a test to yourself, send, schedule, cancel. */
export default function UpdatePage() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const editable = data.update.status === "draft" || data.update.status === "scheduled";
  const [form, fields] = useForm({
    id: `update-${data.update.id}`,
    lastResult: reply && reply.intent !== "cancel" ? reply.result : undefined,
    defaultValue: data.values,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: updateSchema(data.languages, "save") }),
  });
  const { stats } = data;
  return (
    <div className="stack">
      <p><Link to={`/admin/campaigns/${data.campaignId}/updates`}>← All updates</Link></p>
      <h2>Update <span className={`badge ${data.update.status}`}>{data.update.status}</span></h2>
      {data.update.scheduledFor && data.update.status === "scheduled" ? <p>Scheduled for {data.update.scheduledFor.slice(0, 16).replace("T", " ")} UTC.</p> : null}
      <p>Audience {stats.audience} · sent {stats.sent} · failed {stats.failed} · waiting {stats.queued} · unsubscribed since {stats.unsubscribedSince}</p>
      {reply && "notice" in reply && reply.notice ? <p className="notice" role="status">{reply.notice}</p> : null}
      {reply && "error" in reply && reply.error ? <p className="form-error" role="alert">{reply.error}</p> : null}

      {editable ? (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <CsrfInput />
          <UpdateFields fields={fields as never} languages={data.languages} />
          <div className="button-row">
            <button type="submit" name="intent" value="save" className="button" disabled={busy}>Save</button>
            <button type="submit" name="intent" value="test" className="button" disabled={busy}>Send a test to me</button>
            <button type="submit" name="intent" value="send" className="button primary" disabled={busy}>Send now</button>
          </div>
          <fieldset className="panel">
            <legend>Schedule</legend>
            <AdminInput field={fields.scheduleAt!} label="Send at (UTC)" type="datetime-local" />
            <button type="submit" name="intent" value="schedule" className="button" disabled={busy}>Schedule</button>
          </fieldset>
        </Form>
      ) : null}
      {editable ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="cancel" />
          <button type="submit" className="button" disabled={busy}>Cancel this update</button>
        </Form>
      ) : null}

      {data.previews.map((p) => p.mail && (
        <section key={p.language} className="panel">
          <h3>{`Preview (${p.language}): ${p.mail.subject}`}</h3>
          <iframe title={`HTML preview (${p.language})`} sandbox="" srcDoc={p.mail.html} style={{ width: "100%", height: 420, border: "1px solid #ddd" }} />
          <details>
            <summary>Plain text</summary>
            <pre style={{ whiteSpace: "pre-wrap" }}>{p.mail.text}</pre>
          </details>
        </section>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
