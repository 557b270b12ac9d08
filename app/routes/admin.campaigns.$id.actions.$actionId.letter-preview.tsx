import { officialLabel } from "#db/officials-format";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { letterValues, renderTemplate } from "#core/letter-templates";
import { getOfficial } from "#db/queries/officials";
import { letterTemplate } from "#db/queries/workspace-actions";
import { letterPreviewSchema } from "../forms/workspace-action";
import { requireCampaignAccess } from "../lib/roles.server";
import { boundedQuery, formShape } from "../lib/form-body.server";
import { notFound } from "../lib/http.server";

const PREVIEW_QUERY = formShape(letterPreviewSchema);
const SAMPLE_SUPPORTER = { name: "Ana Quispe", country: "PE", postalCode: "15001" };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The saved letter template of an action filled in for one official and a sample supporter.
 * The page's script asks for JSON (`format=json`); a browser without JavaScript gets a small page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const actionId = Number(params.actionId);
  if (!Number.isSafeInteger(actionId) || actionId <= 0) notFound();
  const url = new URL(request.url);
  const submission = parseWithZod(boundedQuery(url.searchParams, PREVIEW_QUERY), { schema: letterPreviewSchema });
  if (submission.status !== "success") return new Response("Choose an official and a language to preview the letter.", { status: 400 });
  const [template, official] = await Promise.all([
    letterTemplate(db(), campaign.id, actionId, submission.value.language),
    getOfficial(db(), submission.value.targetId),
  ]);
  if (!template) notFound();
  if (!official) return new Response("That official is not in the directory.", { status: 400 });
  const { words, campaignTitle } = template;
  const values = letterValues({ language: words.language, supporter: SAMPLE_SUPPORTER, target: official, campaignTitle, actionTitle: words.title });
  const letter = {
    language: words.language,
    official: officialLabel(official),
    subject: renderTemplate(words.letter_subject ?? "", values),
    body: renderTemplate(words.letter_body ?? "", values),
  };
  if (url.searchParams.get("format") === "json") return json(letter, { headers: { "Cache-Control": "private, no-store" } });
  const page = `<!doctype html><html lang="${escape(letter.language)}"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Letter preview</title></head>
<body style="font-family: Georgia, serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<p><strong>Preview</strong> for ${escape(letter.official)}, from a sample supporter (${escape(SAMPLE_SUPPORTER.name)}).</p>
<h1 style="font-size: 1.3rem">${escape(letter.subject)}</h1>
<div style="white-space: pre-wrap">${escape(letter.body)}</div></body></html>`;
  return new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" } });
}
