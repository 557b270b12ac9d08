import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import adminStyles from "../admin.css";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { db } from "#db/client";
import { unreadNotices } from "#db/queries/staff-notices";
import { requireCampaigner } from "../lib/auth.server";
import { isAdmin } from "../lib/roles.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminStyles }];
export const meta: MetaFunction = () => [{ title: "Workspace — Inkwell" }, { name: "robots", content: "noindex" }];

// Every workspace page sits under this layout, so none renders without a session; each child
// loader and action still checks the session and the campaign on its own.
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireCampaigner(request);
  const unread = await unreadNotices(db(), session.campaigner.id);
  return { campaigner: session.campaigner, csrf: session.csrfToken, admin: isAdmin(session.campaigner), unread };
}

export default function WorkspaceLayout() {
  const { campaigner, admin, unread } = useLoaderData<typeof loader>();
  return (
    <div className="workspace">
      <div className="workspace-bar">
        <nav aria-label="Workspace">
          <NavLink to="/admin" end>Campaigns</NavLink>
          <NavLink to="/admin/officials">Officials</NavLink>
          {admin ? <NavLink to="/admin/campaigners">Campaigners</NavLink> : null}
          {admin ? <NavLink to="/admin/audit">Audit log</NavLink> : null}
          {admin ? <NavLink to="/admin/security">Security</NavLink> : null}
          {admin ? <a href="/admin/queues">Queues</a> : null}
          <NavLink to="/admin/api-keys">API keys</NavLink>
          <NavLink to="/admin/notices" aria-label={unread ? `Notices, ${unread} unread` : "Notices"}>
            Notices{unread ? <> <span className="badge unread">{unread > 99 ? "99+" : unread}</span></> : null}
          </NavLink>
          <NavLink to="/admin/account">Account</NavLink>
        </nav>
        <span className="who">{campaigner.name}{admin ? " · admin" : ""}</span>
        <Form method="post" action="/admin/sign-out">
          <CsrfInput />
          <button type="submit" className="link-button">Sign out</button>
        </Form>
      </div>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
