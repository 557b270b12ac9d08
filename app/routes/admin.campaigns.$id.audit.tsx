import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listAudit } from "#db/queries/audit";
import { AuditTable } from "../components/admin/audit-table";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaignAccess } from "../lib/roles.server";
import { auditPage } from "../lib/audit-page.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  return auditPage(request, `/admin/campaigns/${campaign.id}/audit`, (before, limit) => listAudit(db(), { campaignId: campaign.id, before, limit }));
}

export default function CampaignHistory() {
  const { rows, olderHref } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <h2>History</h2>
      <AuditTable rows={rows} olderHref={olderHref} showCampaign={false} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
