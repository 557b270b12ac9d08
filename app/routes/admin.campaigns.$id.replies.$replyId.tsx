import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { db } from "#db/client";
import { getReply, getReplyAttachment } from "#db/queries/replies";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaignAccess } from "../lib/roles.server";
import { notFound } from "../lib/http.server";
import { publishReply } from "../lib/replies.server";
import { workspaceAction } from "../lib/workspace-action.server";

export const meta: MetaFunction = () => [{ title: "Reply — Inkwell workspace" }];

const publishSchema = z.object({
  subject: z.string({ error: "Give the update a subject." }).trim().min(1, "Give the update a subject.").max(200, "At most 200 characters."),
  text: z.string({ error: "Write what to publish." }).trim().min(1, "Write what to publish.").max(20_000, "At most 20,000 characters."),
});

async function load(request: Request, params: { id?: string; replyId?: string }) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const replyId = Number(params.replyId);
  if (!Number.isSafeInteger(replyId) || replyId <= 0) notFound();
  const reply = await getReply(db(), campaign.id, replyId);
  if (!reply) notFound();
  return { session, campaign, reply };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign, reply } = await load(request, params);
  const wanted = new URL(request.url).searchParams.get("attachment");
  if (wanted !== null) {
    const id = Number(wanted);
    const file = Number.isSafeInteger(id) && id > 0 ? await getReplyAttachment(db(), campaign.id, reply.id, id) : undefined;
    if (!file) notFound();
    // Always a download, typed by its sniffed content, never rendered in the workspace.
    return new Response(new Uint8Array(file.content), {
      headers: {
        "Content-Type": file.content_type, "Content-Disposition": `attachment; filename="${file.filename.replace(/[^\w.\- ]/g, "_")}"`,
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox", "Cache-Control": "private, no-store",
      },
    });
  }
  return {
    campaignId: campaign.id,
    reply: {
      id: reply.id, subject: reply.subject, from: reply.from_address, text: reply.body_text, official: reply.official,
      officialTitle: reply.official_title, fromOfficialAddress: reply.from_address === reply.official_email?.toLowerCase(),
      batch: reply.seq, receivedAt: reply.received_at.toISOString(), publishedAt: reply.published_at?.toISOString() ?? null,
      publishedText: reply.published_text, updateId: reply.update_id,
      attachments: reply.attachments,
    },
  };
}

export const action = (args: ActionFunctionArgs) =>
  workspaceAction(
    args,
    {
      access: ({ request, params }) => load(request, params),
      schema: publishSchema,
      plainBody: true,
      invalid: (submission) => json({ result: submission.reply(), published: false }, { status: 400 }),
    },
    async ({ session, campaign, reply, submission }) => {
      if (reply.published_at) return json({ result: submission.reply({ formErrors: ["This reply is already published and sent."] }), published: false }, { status: 409 });
      const updateId = await publishReply({ campaignerId: session.campaigner.id, campaignId: campaign.id }, reply.id, {
        subject: submission.value.subject, text: submission.value.text, language: campaign.default_language, deliveryId: reply.delivery_id,
      });
      if (updateId === null) return json({ result: submission.reply({ formErrors: ["This reply is already published and sent."] }), published: false }, { status: 409 });
      return json({ result: submission.reply(), published: true });
    },
  );

/** One reply, shown as plain text only, with the form that publishes it and sends it as an update. */
export default function Reply() {
  const { campaignId, reply } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = data?.result.error ?? {};
  const formErrors = (data?.result as { error?: Record<string, string[] | null> } | undefined)?.error?.[""] ?? [];
  return (
    <div className="stack">
      <h2>{reply.subject || "(no subject)"}</h2>
      <p className="hint">
        From {reply.from} {reply.fromOfficialAddress ? "" : "(not the address in the directory) "}for {reply.official}, {reply.officialTitle} · batch #{reply.batch} ·
        received {reply.receivedAt.slice(0, 16).replace("T", " ")} UTC
      </p>
      <pre className="reply-text" style={{ whiteSpace: "pre-wrap" }}>{reply.text}</pre>
      {reply.attachments.length ? (
        <ul>
          {reply.attachments.map((a: { id: number; filename: string; content_type: string; size: number }) => (
            <li key={a.id}>
              <a href={`/admin/campaigns/${campaignId}/replies/${reply.id}?attachment=${a.id}`}>{a.filename}</a> ({a.content_type}, {Math.ceil(a.size / 1024)} KB)
            </li>
          ))}
        </ul>
      ) : null}
      {reply.publishedAt || data?.published ? (
        <p className="notice">Published on the campaign page and sent as an update{reply.publishedAt ? ` on ${reply.publishedAt.slice(0, 10)}` : ""}.</p>
      ) : (
        <Form method="post" className="stack">
          <CsrfInput />
          <h3>Publish and send to this batch's writers</h3>
          {formErrors.length ? <p className="error" role="alert">{formErrors.join(" ")}</p> : null}
          <label>Update subject
            <input name="subject" defaultValue={`${reply.official} replied`} maxLength={200} required />
          </label>
          {errors.subject ? <p className="error">{errors.subject.join(" ")}</p> : null}
          <label>What to publish (the reply, or your summary of it)
            <textarea name="text" rows={12} defaultValue={reply.text.slice(0, 20_000)} required />
          </label>
          {errors.text ? <p className="error">{errors.text.join(" ")}</p> : null}
          <button type="submit" className="button primary">Publish and send once</button>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
