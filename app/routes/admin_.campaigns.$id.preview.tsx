import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { getCampaignPreview } from "#db/queries/campaigns";
import adminStyles from "../admin.css";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requestLanguage } from "../i18n/language.server";
import { requireCampaignAccess } from "../lib/roles.server";
import { notFound } from "../lib/http.server";
import { campaignPageData } from "../lib/campaign-page.server";
import CampaignPage from "./campaigns.$slug._index";

// Outside the workspace layout on purpose: the page around the campaign is the public one.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Preview: ${data?.campaign.title ?? "campaign"} — Inkwell` }, { name: "robots", content: "noindex" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign: row } = await requireCampaignAccess(request, params.id);
  const campaign = await getCampaignPreview(db(), row.id, requestLanguage(request));
  if (!campaign) notFound();
  return campaignPageData(campaign);
}

/** The campaign exactly as supporters will see it, drafts included, under a banner. */
export default function CampaignPreview() {
  const { campaign } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="preview-banner" role="note">
        <strong>Preview</strong> — this is how supporters will see the campaign ({campaign.status}).{" "}
        <Link to={`/admin/campaigns/${campaign.id}/edit`}>Back to the workspace</Link>
      </div>
      <CampaignPage />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
