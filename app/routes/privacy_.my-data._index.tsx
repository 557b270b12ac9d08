import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { createPrivacyRequest } from "#db/queries/privacy";
import { normaliseEmail } from "#core/rules";
import { sendPrivacyLinkJob } from "#jobs/definitions";
import { log } from "#core/logger";
import { enqueue } from "#jobs/queues";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Honeypot } from "../components/honeypot";
import { privacyRequestSchema } from "../forms/privacy";
import { HONEYPOT_FIELD } from "../forms/sign";
import { metaMessages } from "../i18n";
import { requestLanguage } from "../i18n/language.server";
import { honeypotFilled, refuseCrossSite } from "../lib/abuse.server";
import { formShape, readForm } from "../lib/form-body.server";
import { enforceLimit, limitHeaders } from "../lib/rate-limit.server";
import { useMessages } from "../root";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaMessages(matches).myData.title} — Inkwell` }];
export const headers = limitHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  return { sent: new URL(request.url).searchParams.get("sent") === "1" };
}

// A function, not a module constant: the reader is server-only, so the browser build has no formShape to call.
const privacyForm = () => formShape(privacyRequestSchema, { extra: [HONEYPOT_FIELD] });

/** Always the same answer, so the page never tells whether an address is known. */
export async function action({ request, context }: ActionFunctionArgs) {
  refuseCrossSite(request);
  let formData: FormData;
  try {
    formData = await readForm(request, privacyForm());
  } catch (refusal) {
    if (!(refusal instanceof Response)) throw refusal;
    return json({ status: "error" as const, error: { "": ["invalid"] } }, { status: refusal.status });
  }
  if (honeypotFilled(formData)) return redirect("/privacy/my-data?sent=1");
  const submission = parseWithZod(formData, { schema: privacyRequestSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const email = normaliseEmail(submission.value.email);
  const ip = context.clientIp;
  if (ip) await enforceLimit(request, "privacy-request", `ip:${ip}`);
  await enforceLimit(request, "privacy-request", `email:${email}`);
  const requestId = await createPrivacyRequest(db(), email, requestLanguage(request));
  if (requestId !== null) {
    await enqueue(sendPrivacyLinkJob, { requestId }).catch((err: Error) =>
      log.warn("privacy link not enqueued; the retention sweep will retry", { requestId, err: err.message }),
    );
  }
  return redirect("/privacy/my-data?sent=1");
}

export default function MyDataRequest() {
  const { sent } = useLoaderData<typeof loader>();
  const t = useMessages();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: privacyRequestSchema }),
  });
  if (sent) {
    return (
      <section className="panel narrow status-panel" role="status">
        <h1>{t.myData.sentTitle}</h1>
        <p>{t.myData.sentBody}</p>
      </section>
    );
  }
  const message = fields.email.errors?.[0];
  return (
    <section className="panel narrow">
      <h1>{t.myData.title}</h1>
      <p>{t.myData.intro}</p>
      <Form method="post" {...getFormProps(form)} className="sign-form">
        <Honeypot />
        <div className={message ? "field has-error" : "field"}>
          <label htmlFor={fields.email.id}>{t.myData.email}</label>
          <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" />
          <p className="field-error" id={fields.email.errorId} aria-live="polite">
            {message ? ((t.errors as Record<string, string>)[message] ?? message) : null}
          </p>
        </div>
        <button type="submit" className="button">{t.myData.submit}</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
