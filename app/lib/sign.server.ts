import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type AppLoadContext } from "@remix-run/node";
import { db } from "#db/client";
import { findPublicAction, type PublicAction } from "#db/queries/actions";
import { letterActionView, recordLetter, type LetterInput } from "#db/queries/letters";
import { addressOnFile, holdSignature } from "#db/queries/suspicious";
import { normaliseEmail } from "#core/rules";
import { normaliseSource } from "#db/sources";
import { hashIp } from "#core/tokens";
import { purposeKey } from "#core/keys";
import { env } from "#core/env";
import { HONEYPOT_FIELD, letterSchema, signSchema } from "../forms/sign";
import { messages, type Language } from "../i18n";
import { requestLanguage } from "../i18n/language.server";
import { honeypotFilled, isDisposableAddress, refuseCrossSite } from "./abuse.server";
import { formShape, readForm } from "./form-body.server";
import { notFound } from "./http.server";
import { sharedRead } from "./public-cache.server";
import { recordSignatureGrouped } from "./sign-batcher.server";
import { consume, enforceLimit } from "./rate-limit.server";

const SIGN_FORM = formShape(signSchema, { extra: [HONEYPOT_FIELD] });
const LETTER_FORM = formShape(letterSchema, { extra: [HONEYPOT_FIELD] });

/**
 * Handles a sign-form POST (petition or letter): validate, commit the pending signature (and the
 * letter) in one transaction, then enqueue its confirmation email. A Redis failure only delays the
 * email (the sweeper re-enqueues it); the supporter always lands on the same "check your email"
 * page, whether or not the address had signed before — and whether or not it was held as suspicious.
 * Concurrent submissions are committed together (group commit); each is answered after its commit.
 * Held signatures get their confirmation email like any other: the sender cannot tell, and a
 * confirmed held signature is better evidence for the campaigner who reviews it.
 */
export async function handleSign(request: Request, params: { slug?: string; action?: string }, context: AppLoadContext, embedChannel?: string) {
  // The web server's fast path (server/http/sign-fast-path.ts) ran this for the request and left
  // the page to Remix: its outcome is replayed, so nothing is validated, counted or written twice.
  const settled = context.signOutcome;
  if (settled) {
    context.signOutcome = undefined;
    if ("thrown" in settled) throw settled.thrown;
    return settled.returned;
  }
  // Shared for PUBLIC_CACHE_MS like the pages: a campaign closed a second ago may take one more signature.
  const action = await sharedRead(`public-action:${params.slug}:${params.action}`, () => findPublicAction(db(), params.slug ?? "", params.action ?? ""));
  if (!action) notFound();
  refuseCrossSite(request);
  const language = requestLanguage(request);
  const t = messages(language);
  const sentPage = `/campaigns/${action.campaignSlug}/${action.slug}/sent`;

  let formData: FormData;
  try {
    formData = await readForm(request, action.kind === "letter" ? LETTER_FORM : SIGN_FORM);
  } catch (refusal) {
    // Shown next to the form: the body was not a form, or held more than the form can.
    if (!(refusal instanceof Response)) throw refusal;
    return json({ status: "error" as const, error: { "": [t.formRefused] } }, { status: refusal.status });
  }
  // A robot filled the field people never see: it is shown the usual page and nothing is written.
  if (honeypotFilled(formData)) return redirect(sentPage);
  const url = new URL(request.url);
  return submitSignature(request, action, formData, context, { language, source: url.pathname, channel: embedChannel ?? normaliseSource(url.searchParams.get("source")) });
}

/**
 * The one way a signature (and its letter) is recorded, whoever posts it: the sign form and the
 * OSDI record helpers both come here, so validation, limits, holds and the confirmation email are
 * the same. Answers a redirect to the "check your email" page, or the form's errors as JSON (400,
 * 409 when closed); throws the 429 of a reached limit.
 */
export async function submitSignature(
  request: Request,
  action: PublicAction,
  formData: FormData,
  context: AppLoadContext,
  options: { language: Language; source: string; channel?: string | null },
): Promise<Response> {
  const { language } = options;
  const t = messages(language);
  const sentPage = `/campaigns/${action.campaignSlug}/${action.slug}/sent`;
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
  if (isDisposableAddress(form.email)) return json(submission.reply({ fieldErrors: { email: ["disposable"] } }), { status: 400 });
  const ip = context.clientIp;
  // The address lookup reads only: it runs while the per-IP limit is counted in Redis.
  const [, onFile] = await Promise.all([
    ip ? enforceLimit(request, action.kind === "letter" ? "letter-ip" : "sign-ip", ip) : undefined,
    addressOnFile(db(), normaliseEmail(form.email)),
  ]);
  const email = onFile ?? normaliseEmail(form.email);
  await enforceLimit(request, "sign-email", email);
  const suspicious = ip ? !(await consume("suspicious-ip", `${action.id}:${ip}`)).ok : false;
  const ipHash = ip ? hashIp(ip, purposeKey("ip-fingerprint", env().IP_HASH_KEY ?? env().SESSION_SECRET)) : null;
  await recordSignatureGrouped(
    {
      actionId: action.id,
      campaignId: action.campaignId,
      email,
      name: form.name,
      country: form.country,
      postalCode: form.postalCode ?? null,
      comment: form.comment ?? null,
      language,
      updatesOptIn: form.updates,
      ipHash,
      privacyWording: action.kind === "letter" ? t.letterAction.privacy : t.sign.privacy,
      updatesWording: t.sign.updates,
      source: options.source,
    },
    async (trx, result) => {
      // Like the name, a letter is only written by the submission that created the signature.
      if (letter && result.fresh) await recordLetter(trx, result.signatureId, letter);
      if (suspicious && result.fresh) await holdSignature(trx, result.signatureId, "many signatures from one IP");
      if (options.channel && result.fresh) await trx.updateTable("signatures").set({ source: options.channel }).where("id", "=", result.signatureId).execute();
    },
  );
  return redirect(sentPage);
}
