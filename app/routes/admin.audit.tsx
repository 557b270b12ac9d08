import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { listAudit } from "#db/queries/audit";
import { AuditTable } from "../components/admin/audit-table";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireAdmin } from "../lib/roles.server";
import { auditPage } from "../lib/audit-page.server";

export const meta: MetaFunction = () => [{ title: "Audit log — Inkwell workspace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return auditPage(request, "/admin/audit", (before, limit) => listAudit(db(), { before, limit }));
}

export default function AuditLog() {
  const { rows, olderHref } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <h1>Audit log</h1>
      <p className="hint">Every change made in the workspace: who, what and when, newest first.</p>
      <AuditTable rows={rows} olderHref={olderHref} showCampaign />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
