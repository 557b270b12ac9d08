import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { supporterLetter } from "#db/queries/letters";
import { letterValues, renderTemplate } from "#core/letter-templates";
import { lettersPdf, type LetterRow } from "#emails/attachments/index";
import { parseLetterRef } from "../lib/letter-link.server";

const notFound = () => new Response("This letter is not available.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

// GET /letters/:ref — a supporter's own letter as a PDF, one page per official, to post by hand.
export async function loader({ params }: LoaderFunctionArgs) {
  const id = parseLetterRef(params.ref ?? "");
  const letter = id ? await supporterLetter(db(), id) : undefined;
  if (!letter || letter.status === "invalidated" || letter.status === "expired" || letter.targets.length === 0) return notFound();
  const rows: LetterRow[] = letter.targets.map((target) => {
    const values = letterValues({
      language: letter.language,
      supporter: { name: letter.name, country: letter.country, postalCode: letter.postalCode },
      target, campaignTitle: letter.campaignTitle, actionTitle: letter.actionTitle,
    });
    return {
      name: letter.name, country: letter.country, signedAt: letter.signedAt, target,
      subject: renderTemplate(letter.subject, values), body: renderTemplate(letter.body, values),
    };
  });
  const pdf = lettersPdf(
    (async function* () {
      yield* rows;
    })(),
    {
      language: letter.language, campaignTitle: letter.campaignTitle, actionTitle: letter.actionTitle, ask: letter.ask,
      target: letter.targets[0]!, batchLabel: letter.campaignTitle, date: letter.signedAt,
    },
  );
  return new Response(createReadableStreamFromReadable(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="letter-${letter.signatureId}.pdf"`,
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
