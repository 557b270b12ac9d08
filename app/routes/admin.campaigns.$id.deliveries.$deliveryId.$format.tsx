import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { db } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import { deliveryContext, findCampaignDelivery } from "#db/queries/deliveries";
import { batchFiles } from "#services/deliveries";
import { log } from "#core/logger";
import { requireCampaignAccess } from "../lib/roles.server";
import { notFound } from "../lib/http.server";

const TYPES = { csv: "text/csv; charset=utf-8", pdf: "application/pdf" } as const;

/**
 * A delivered batch's CSV or PDF again, regenerated from the delivery ledger by the code that
 * built the batch email, and streamed. `?part=N` picks one part of a batch sent in parts.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const format = params.format;
  const deliveryId = Number(params.deliveryId);
  if ((format !== "csv" && format !== "pdf") || !Number.isSafeInteger(deliveryId) || deliveryId <= 0) notFound();
  const batch = await findCampaignDelivery(db(), campaign.id, deliveryId);
  if (!batch) notFound();
  if (batch.status !== "sent") throw new Response("This batch has not been delivered yet: there is nothing to download again.", { status: 409 });
  const ctx = await deliveryContext(db(), deliveryId);
  const partParam = new URL(request.url).searchParams.get("part");
  const parts = partParam === null ? ctx!.parts : ctx!.parts.filter((p) => String(p.part) === partParam);
  if (parts.length === 0) notFound();
  await recordAudit(db(), {
    campaignerId: session.campaigner.id, campaignId: campaign.id, action: "deliveries.download",
    subjectType: "delivery", subjectId: deliveryId, details: { format, part: partParam ?? "all" },
  });
  // The whole batch is one file spanning every part (labelled as the batch), or one part as it was sent.
  const whole = { ...parts[0]!, part: 1, first_signature_id: parts[0]!.first_signature_id, last_signature_id: parts[parts.length - 1]!.last_signature_id };
  const files = partParam === null ? batchFiles(db(), { ...ctx!, parts: [whole] }, whole) : batchFiles(db(), ctx!, parts[0]!);
  const stream = format === "csv" ? files.csv() : files.pdf();
  stream.on("error", (err: Error) => log.warn("batch download stopped", { deliveryId, err: err.message }));
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": TYPES[format],
      "Content-Disposition": `attachment; filename="${files.base}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}
