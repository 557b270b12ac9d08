import type { AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import { db } from "#db/client";
import { findPublicAction } from "#db/queries/actions";
import { letterActionView } from "#db/queries/letters";
import { findOsdiAction } from "#db/queries/osdi";
import type { ActionKind } from "#db/schema";
import { outreachHelperSchema, signatureHelperSchema, type HelperPerson } from "../forms/osdi";
import { isLanguage, messages, type Language } from "../i18n";
import { apiBase, apiError, hal, idParam, requireApiCaller } from "./osdi.server";
import { readJson } from "./form-body.server";
import { submitSignature } from "./sign.server";

// Where each sign-form field lives in an OSDI helper body, to name it in an error.
const FIELD_PATHS: Record<string, string> = {
  name: "person.given_name",
  email: "person.email_addresses",
  country: "person.postal_addresses.country",
  postalCode: "person.postal_addresses.postal_code",
  comment: "comments",
  subject: "subject",
  body: "message",
  targets: "targets",
};

async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let parsed: unknown;
  try {
    parsed = await readJson(request);
  } catch {
    throw apiError(400, "bad_request", "The body must be a JSON object.");
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of result.error.issues) (fields[issue.path.join(".") || "body"] ??= []).push(issue.message);
    throw apiError(400, "validation", "The body does not have the shape this helper takes.", { fields });
  }
  return result.data;
}

function personFields(person: HelperPerson, form: FormData): void {
  const email = person.email_addresses.find((e) => e.primary) ?? person.email_addresses[0]!;
  const postal = person.postal_addresses?.find((a) => a.primary) ?? person.postal_addresses?.[0];
  form.set("name", [person.given_name, person.family_name].filter((s) => s && s.trim()).join(" "));
  form.set("email", email.address);
  form.set("country", (postal?.country ?? "").toUpperCase());
  if (postal?.postal_code) form.set("postalCode", postal.postal_code);
}

/** The form's answer turned into the API's: 202 for "check your email", the field errors for a 400. */
async function toApiAnswer(answer: Response, language: Language, rel: string, href: string): Promise<Response> {
  if (answer.status === 302) {
    return hal(
      {
        status: "pending_confirmation",
        message: "Recorded. It counts once the supporter confirms it from the email just sent to them.",
        _links: { [rel]: { href } },
      },
      202,
    );
  }
  if (answer.status === 409) return apiError(409, "closed", "This action is closed and takes no more signatures.");
  const reply = (await answer.json().catch(() => ({}))) as { error?: Record<string, string[] | null> };
  const t = messages(language).errors as Record<string, string>;
  const fields: Record<string, string[]> = {};
  for (const [field, keys] of Object.entries(reply.error ?? {})) {
    if (keys?.length) fields[FIELD_PATHS[field] ?? (field || "body")] = keys.map((k) => t[k] ?? k);
  }
  return apiError(answer.status >= 400 && answer.status < 500 ? answer.status : 400, "validation", "Some values were refused.", { fields });
}

/** Records through the sign form's own path; a thrown limit (429) becomes the API's 429. */
async function recordThroughForm(
  request: Request,
  context: AppLoadContext,
  kind: ActionKind,
  idValue: string | undefined,
  fill: (form: FormData, actionId: number, language: Language) => Promise<HelperPerson>,
): Promise<Response> {
  const caller = await requireApiCaller(request, "write");
  const what = kind === "petition" ? "petition" : "advocacy campaign";
  const row = await findOsdiAction(db(), caller.campaignIds, kind, idParam(idValue, what));
  if (!row) throw apiError(404, "not_found", `No such ${what}.`);
  const action = await findPublicAction(db(), row.campaign_slug, row.slug);
  if (!action) throw apiError(409, "closed", "This campaign is not live.");
  const form = new FormData();
  const language = isLanguage(row.language) ? row.language : "en";
  const person = await fill(form, row.id, language);
  const spoken = person.languages_spoken?.find((l) => isLanguage(l));
  const chosen: Language = isLanguage(spoken) ? spoken : language;
  const path = kind === "petition" ? "petitions" : "advocacy_campaigns";
  let answer: Response;
  try {
    answer = await submitSignature(request, action, form, context, { language: chosen, source: `api:${caller.prefix}`, channel: "api" });
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 429) {
      return hal({ error: "rate_limited", message: "Too many signatures from this address or caller; wait and try again." }, 429, { "Retry-After": thrown.headers.get("Retry-After") ?? "60" });
    }
    throw thrown;
  }
  return toApiAnswer(answer, chosen, kind === "petition" ? "osdi:petition" : "osdi:advocacy_campaign", `${apiBase()}/${path}/${row.id}`);
}

/** OSDI record_signature_helper: signs a petition as its form would, confirmation email included. */
export function recordSignatureHelper(request: Request, context: AppLoadContext, id: string | undefined): Promise<Response> {
  return recordThroughForm(request, context, "petition", id, async (form) => {
    const body = await readBody(request, signatureHelperSchema);
    personFields(body.person, form);
    if (body.comments) form.set("comment", body.comments);
    return body.person;
  });
}

/** OSDI record_outreach_helper: writes a letter as its form would; the action's subject, text and officials stand in for what is left out. */
export function recordOutreachHelper(request: Request, context: AppLoadContext, id: string | undefined): Promise<Response> {
  return recordThroughForm(request, context, "letter", id, async (form, actionId, language) => {
    const body = await readBody(request, outreachHelperSchema);
    personFields(body.person, form);
    const view = await letterActionView(db(), actionId, language);
    form.set("subject", body.subject ?? view.template?.subject ?? "");
    form.set("body", body.message ?? view.template?.body ?? "");
    for (const t of body.targets ?? view.targets) form.append("targets", String(t.id));
    return body.person;
  });
}
