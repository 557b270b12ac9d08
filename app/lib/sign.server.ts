import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type AppLoadContext } from "@remix-run/node";
import { db } from "../../db/client";
import { findPublicAction } from "../../db/queries/actions";
import { letterActionView, recordLetter, type LetterInput } from "../../db/queries/letters";
import { recordSignature } from "../../db/queries/signatures";
import { normaliseEmail } from "../../db/rules";
import { hashIp } from "../../db/tokens";
import { sendConfirmationJob } from "../../jobs/definitions";
import { log } from "../../jobs/log";
import { enqueue } from "../../jobs/queues";
import { env } from "../env.server";
import { letterSchema, signSchema } from "../forms/sign";
import { messages } from "../i18n";
import { requestLanguage } from "../i18n/language.server";
import { notFound } from "./http.server";

/**
 * Handles a sign-form POST (petition or letter): validate, commit the pending signature (and the
 * letter) in one transaction, then enqueue its confirmation email. A Redis failure only delays the
 * email (the sweeper re-enqueues it); the supporter always lands on the same "check your email"
 * page, whether or not the address had signed before.
 */
export async function handleSign(request: Request, params: { slug?: string; action?: string }, context: AppLoadContext) {
  const action = await findPublicAction(db(), params.slug ?? "", params.action ?? "");
  if (!action) notFound();
  const language = requestLanguage(request);
  const t = messages(language);

  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    return json({ status: "error" as const, error: { "": [t.errors.invalid] } }, { status: 400 });
  }
  if (action.campaignStatus !== "live") {
    return json({ status: "error" as const, error: { "": [t.sign.closed] } }, { status: 409 });
  }

  let letter: LetterInput | null = null;
  let submission;
  if (action.kind === "letter") {
    const view = await letterActionView(db(), action.id, language);
    const parsed = parseWithZod(formData, { schema: letterSchema });
    if (parsed.status !== "success") return json(parsed.reply(), { status: 400 });
    const allowed = new Set(view.targets.map((x) => x.id));
    if (!view.template) notFound();
    if (parsed.value.targets.some((id) => !allowed.has(id))) {
      return json(parsed.reply({ fieldErrors: { targets: ["unknownOfficial"] } }), { status: 400 });
    }
    // When the action does not allow editing, what was posted is ignored: the template goes out.
    const subject = view.editable ? parsed.value.subject : view.template.subject;
    const body = view.editable ? parsed.value.body : view.template.body;
    letter = {
      subject,
      body,
      edited: subject !== view.template.subject || body !== view.template.body.replace(/\r\n?/g, "\n"),
      language: view.template.language,
      targetIds: [...new Set(parsed.value.targets)],
    };
    submission = parsed;
  } else {
    submission = parseWithZod(formData, { schema: signSchema });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  }

  const form = submission.value;
  const ipHash = context.clientIp ? hashIp(context.clientIp, env().SESSION_SECRET) : null;
  const outcome = await db().transaction().execute(async (trx) => {
    const result = await recordSignature(trx, {
      actionId: action.id,
      campaignId: action.campaignId,
      email: normaliseEmail(form.email),
      name: form.name,
      country: form.country,
      postalCode: form.postalCode ?? null,
      comment: form.comment ?? null,
      language,
      updatesOptIn: form.updates,
      ipHash,
      privacyWording: t.sign.privacy,
      updatesWording: t.sign.updates,
      source: new URL(request.url).pathname,
    });
    // Like the name, a letter is only written by the submission that created the signature.
    if (letter && result.fresh) await recordLetter(trx, result.signatureId, letter);
    return result;
  });
  if (outcome.sendSeq !== null) {
    await enqueue(sendConfirmationJob, { signatureId: outcome.signatureId, seq: outcome.sendSeq }).catch((err: Error) =>
      log.warn("confirmation not enqueued; the sweeper will retry", { signatureId: outcome.signatureId, err: err.message }),
    );
  }
  return redirect(`/campaigns/${action.campaignSlug}/${action.slug}/sent`);
}
