import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type AppLoadContext } from "@remix-run/node";
import { db } from "#db/client";
import { findPublicAction, type PublicAction } from "#db/queries/actions";
import { letterActionView, recordLetter, type LetterInput } from "#db/queries/letters";
import { LETTER_BODY_MAX, LETTER_SUBJECT_MAX, canonicalPlaceholders, fromReadable } from "#core/letter-templates";
import { holdSignature } from "#db/queries/suspicious";
import { noteHeldSignature } from "#db/queries/staff-alerts";
import { sendStaffAlertJob } from "#jobs/definitions";
import { enqueue } from "#jobs/queues";
import { log } from "#core/logger";
import { canonicalEmail, normaliseEmail } from "#core/rules";
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
import { recordSignatureGrouped, type WithSignature } from "./sign-batcher.server";
import { consumeAll, refund, tooManyRequests, type LimitResult } from "./rate-limit.server";

const ALLOWED: LimitResult = { ok: true };

// `intent` is the letter form's step: "review" and "edit" only answer the form; anything else sends.
const SIGN_FORM = formShape(signSchema, { extra: [HONEYPOT_FIELD, "intent"] });
const LETTER_FORM = formShape(letterSchema, { extra: [HONEYPOT_FIELD, "intent"] });

/**
 * Handles a sign-form POST (petition or letter): validate, commit the pending signature (and the
 * letter) in one transaction, then enqueue its confirmation email. A Redis failure only delays the
 * email (the sweeper re-enqueues it); the supporter always lands on the same "check your email"
 * page, whether or not the address had signed before — and whether or not it was held as suspicious.
 * Concurrent submissions are committed together (group commit); each is answered after its commit.
 * Held signatures get their confirmation email like any other: the sender cannot tell, and a
 * confirmed held signature is better evidence for the campaigner who reviews it.
 */
/**
 * Checks, once a hold has committed, whether the campaign's held signatures passed its alert
 * threshold. The supporter's answer does not depend on it; the next hold checks again.
 */
async function alertIfManyHeld(campaignId: number): Promise<void> {
  try {
    const alertId = await noteHeldSignature(db(), campaignId);
    // Recorded in Postgres; the alerts sweeper sends it if Redis is away now.
    if (alertId !== undefined) await enqueue(sendStaffAlertJob, { alertId }).catch(() => {});
  } catch (err) {
    log.warn("held signatures not checked against the alert threshold", { campaignId, err: (err as Error).message });
  }
}

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
  if (action.kind === "letter" && action.campaignStatus === "live") {
    const intent = formData.get("intent");
    // Back from the review without JavaScript: the form again, as it was, with nothing recorded.
    if (intent === "edit") return json(parseWithZod(formData, { schema: letterSchema }).reply());
    // The review without JavaScript: the same checks as sending, then the letters shown, nothing recorded.
    if (intent === "review") {
      const parsed = await parseLetter(action, formData, language);
      if ("refusal" in parsed) return parsed.refusal;
      if (isDisposableAddress(parsed.submission.value.email)) return json(parsed.submission.reply({ fieldErrors: { email: ["disposable"] } }), { status: 400 });
      return json({ ...parsed.submission.reply(), review: true });
    }
  }
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
    const parsed = await parseLetter(action, formData, language);
    if ("refusal" in parsed) return parsed.refusal;
    ({ letter, submission } = parsed);
  } else {
    submission = parseWithZod(formData, { schema: signSchema });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  }

  const form = submission.value;
  if (isDisposableAddress(form.email)) return json(submission.reply({ fieldErrors: { email: ["disposable"] } }), { status: 400 });
  const ip = context.clientIp;
  const email = normaliseEmail(form.email);
  const canonical = canonicalEmail(email);
  const kind = action.kind === "letter" ? "letter-ip" : "sign-ip";
  // The limits are counted together (one round trip to Redis); one that refuses gives the others back.
  // Per address they count the canonical form, so Gmail dots and +tags share one allowance.
  const [perIp, perEmail, manyFromIp] = ip
    ? await consumeAll([[kind, ip], ["sign-email", canonical], ["suspicious-ip", `${action.id}:${ip}`]])
    : [ALLOWED, (await consumeAll([["sign-email", canonical]]))[0], ALLOWED];
  const refusal = !perIp.ok ? perIp : !perEmail.ok ? perEmail : null;
  if (refusal) {
    await Promise.all([perIp.ok && ip ? refund(kind, ip) : undefined, perEmail.ok ? refund("sign-email", canonical) : undefined, ip ? refund("suspicious-ip", `${action.id}:${ip}`) : undefined]);
    throw tooManyRequests(request, refusal.retryAfterSeconds);
  }
  const suspicious = !manyFromIp.ok;
  const ipHash = ip ? hashIp(ip, purposeKey("ip-fingerprint", env().IP_HASH_KEY ?? env().SESSION_SECRET)) : null;
  const channel = options.channel;
  let held = false;
  // Only what must share the signature's transaction (its letter, a hold, a share source) takes one.
  const withSignature: WithSignature | undefined = letter || suspicious || channel
    ? async (trx, result) => {
        // Like the name, a letter is only written by the submission that created the signature.
        if (letter && result.fresh) await recordLetter(trx, result.signatureId, letter);
        if (suspicious && result.fresh) {
          await holdSignature(trx, result.signatureId, "many signatures from one IP");
          held = true;
        }
        if (channel && result.fresh) await trx.updateTable("signatures").set({ source: channel }).where("id", "=", result.signatureId).execute();
      }
    : undefined;
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
    withSignature,
  );
  if (held) await alertIfManyHeld(action.campaignId);
  return redirect(sentPage);
}

/**
 * A letter form checked as sending checks it: its fields, its officials, and its text with each
 * readable blank (`[your name]` in the supporter's language) turned back into its placeholder.
 */
type LetterSubmission = Extract<Awaited<ReturnType<typeof parseWithZod<typeof letterSchema>>>, { status: "success" }>;

async function parseLetter(action: PublicAction, formData: FormData, language: Language): Promise<{ refusal: Response } | { letter: LetterInput; submission: LetterSubmission }> {
  const view = await letterActionView(db(), action.id, language);
  const parsed = parseWithZod(formData, { schema: letterSchema });
  if (parsed.status !== "success") return { refusal: json(parsed.reply(), { status: 400 }) };
  const allowed = new Set(view.targets.map((x) => x.id));
  if (!view.template) notFound();
  if (parsed.value.targets.some((id) => !allowed.has(id))) {
    return { refusal: json(parsed.reply({ fieldErrors: { targets: ["unknownOfficial"] } }), { status: 400 }) };
  }
  const blanks = messages(language).letterPage.blanks;
  // When the action does not allow editing, what was posted is ignored: the template goes out.
  const subject = view.editable ? fromReadable(parsed.value.subject, blanks) : view.template.subject;
  const body = view.editable ? fromReadable(parsed.value.body, blanks) : view.template.body;
  // A blank is shorter than its placeholder: the stored text must still fit.
  if (subject.length > LETTER_SUBJECT_MAX) return { refusal: json(parsed.reply({ fieldErrors: { subject: ["tooLong"] } }), { status: 400 }) };
  if (body.length > LETTER_BODY_MAX) return { refusal: json(parsed.reply({ fieldErrors: { body: ["tooLong"] } }), { status: 400 }) };
  const letter: LetterInput = {
    subject,
    body,
    edited: subject !== canonicalPlaceholders(view.template.subject) || body !== canonicalPlaceholders(view.template.body.replace(/\r\n?/g, "\n")),
    language: view.template.language,
    targetIds: [...new Set(parsed.value.targets)],
  };
  return { letter, submission: parsed };
}
