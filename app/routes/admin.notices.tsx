import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listNotices, markNoticesRead } from "#db/queries/staff-notices";
import { describeAlert } from "#emails/staff-alert-text";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { intentOf } from "../forms/workspace-common";
import { readNoticeSchema } from "../forms/staff-alerts";
import { requireCampaigner, verifiedForm } from "../lib/auth.server";
import { workspaceShape } from "../lib/form-body.server";

export const meta: MetaFunction = () => [{ title: "Notices — Inkwell workspace" }];

const PAGE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireCampaigner(request);
  const raw = new URL(request.url).searchParams.get("before");
  const before = raw && /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : undefined;
  const notices = await listNotices(db(), session.campaigner.id, { before, limit: PAGE });
  return {
    notices: notices.map((n) => ({ id: n.id, ...describeAlert(n), kind: n.kind, createdAt: n.createdAt, read: n.readAt !== null })),
    older: notices.length === PAGE ? notices[notices.length - 1]!.id : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireCampaigner(request);
  const form = await verifiedForm(request, session, workspaceShape(readNoticeSchema));
  const intent = intentOf(form);
  const submission = parseWithZod(form, { schema: readNoticeSchema });
  if ((intent !== "read" && intent !== "all") || submission.status !== "success" || (intent === "read" && !submission.value.alert)) {
    return json({ error: "Choose a notice to mark as read." }, { status: 400 });
  }
  // Only this campaigner's own rows change: someone else's notice id marks nothing.
  await markNoticesRead(db(), session.campaigner.id, intent === "all" ? "all" : submission.value.alert!);
  return redirect("/admin/notices");
}

const when = (d: string | Date) => new Date(d).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export default function Notices() {
  const { notices, older } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const unread = notices.filter((n) => !n.read).length;
  return (
    <section className="stack">
      <h1>Notices</h1>
      <p className="hint">
        What happened on your campaigns: batches that failed or bounced, flagged officials, held signatures, goals reached, replies.
        Choose which you get, and whether emails come at once or in a daily digest, on <Link to="/admin/account#alerts">your account page</Link>.
      </p>
      {reply?.error ? <p className="form-error" role="alert">{reply.error}</p> : null}
      {unread > 0 ? (
        <Form method="post">
          <CsrfInput />
          <button type="submit" name="intent" value="all" className="button">Mark all as read</button>
        </Form>
      ) : null}
      {notices.length === 0 ? <p>No notices yet.</p> : (
        <ul className="notices">
          {notices.map((n) => (
            <li key={n.id} className={n.read ? "notice-read" : "notice-unread"}>
              <p>
                {n.read ? null : <strong>New: </strong>}
                <Link to={n.path}>{n.headline}</Link>
              </p>
              {n.note ? <p className="hint">{n.note}</p> : null}
              <div className="hint">
                {when(n.createdAt)}
                {n.read ? null : (
                  <Form method="post" className="inline-form">
                    <CsrfInput />
                    <input type="hidden" name="alert" value={n.id} />
                    {" · "}<button type="submit" name="intent" value="read" className="link-button">Mark as read</button>
                  </Form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {older ? <p><Link to={`?before=${older}`}>Older notices</Link></p> : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
