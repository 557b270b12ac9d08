import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, json, type LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import { streamSignaturesCsv } from "#services/signature-export";
import { describeFilter } from "#db/queries/workspace-supporters";
import { log } from "#core/logger";
import { requireCampaignAccess } from "../lib/roles.server";
import { readSupporterFilter } from "../lib/supporter-filter.server";

/**
 * The filtered signatures as CSV, streamed from a database cursor at the pace the browser reads:
 * nothing is held in memory, whatever the size. Who exported what is kept in the history.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const read = await readSupporterFilter(campaign.id, new URL(request.url).searchParams);
  if (!read.ok) return json({ errors: read.errors }, { status: 400 });
  await recordAudit(db(), {
    campaignerId: session.campaigner.id,
    campaignId: campaign.id,
    action: "signatures.export",
    subjectType: "campaign",
    subjectId: campaign.id,
    details: { filter: describeFilter(read.filter) },
  });
  const body = new PassThrough();
  streamSignaturesCsv(db(), read.filter, body).then(
    (rows) => log.info("signatures exported", { campaignId: campaign.id, campaignerId: session.campaigner.id, rows }),
    (err: Error) => {
      log.warn("signature export stopped", { campaignId: campaign.id, err: err.message });
      body.destroy(err);
    },
  );
  const day = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${campaign.slug}-signatures-${day}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
