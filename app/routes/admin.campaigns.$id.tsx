import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaignAccess } from "../lib/roles.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.campaign.title ?? "Campaign"} — Inkwell workspace` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  return { campaign: { id: campaign.id, slug: campaign.slug, title: campaign.title, status: campaign.status } };
}

const TABS = [
  { to: "", label: "Dashboard", end: true },
  { to: "edit", label: "Campaign" },
  { to: "actions", label: "Calls to action" },
  { to: "supporters", label: "Supporters" },
  { to: "suspicious", label: "Review" },
  { to: "deliveries", label: "Deliveries" },
  { to: "updates", label: "Updates" },
  { to: "outcome", label: "Outcome" },
  { to: "audit", label: "History" },
  { to: "webhooks", label: "Webhooks" },
];

/** One campaign in the workspace: its title, status and the tabs every campaign page shares. */
export default function CampaignWorkspace() {
  const { campaign } = useLoaderData<typeof loader>();
  const base = `/admin/campaigns/${campaign.id}`;
  return (
    <section>
      <div className="page-head">
        <h1>{campaign.title}</h1>
        <span className="button-row">
          <span className={`badge ${campaign.status}`}>{campaign.status}</span>
          <Link to={`${base}/preview`}>Preview as supporters see it</Link>
        </span>
      </div>
      <nav className="sub-nav" aria-label="Campaign">
        {TABS.map((t) => (
          <NavLink key={t.to} to={t.to ? `${base}/${t.to}` : base} end={t.end} className={({ isActive }) => (isActive ? "active" : undefined)}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
