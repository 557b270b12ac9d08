import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams, useSearchParams } from "@remix-run/react";
import { db } from "#db/client";
import { countByStatus, countInvalidatable, highestMatchingId, invalidateSignatures, listSignatures } from "#db/queries/workspace-supporters";
import { CsrfInput } from "../components/admin/csrf-input";
import { FilterHiddenInputs, SupporterFilters } from "../components/admin/supporter-filters";
import { InvalidateReview } from "../components/admin/invalidate-review";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { invalidateSchema } from "../forms/workspace-supporters";
import { verifiedForm } from "../lib/auth.server";
import { requireCampaignAccess } from "../lib/roles.server";
import { workspaceShape } from "../lib/form-body.server";
import { readSupporterFilter } from "../lib/supporter-filter.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const search = new URL(request.url).searchParams;
  const raw = Object.fromEntries(search);
  const read = await readSupporterFilter(campaign.id, search);
  if (!read.ok) {
    const rows: Awaited<ReturnType<typeof listSignatures>>["rows"] = [];
    const counts: Awaited<ReturnType<typeof countByStatus>> | null = null;
    return json({ raw, errors: read.errors as Errors | null, actions: read.actions, rows, next: null as number | null, counts, params: [] as [string, string][] }, { status: 400 });
  }
  const [page, counts] = await Promise.all([
    listSignatures(db(), read.filter, { before: read.values.before }),
    countByStatus(db(), read.filter),
  ]);
  return json({ raw, errors: null as Errors | null, actions: read.actions, rows: page.rows, next: page.next, counts, params: read.params });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const formData = await verifiedForm(request, session, workspaceShape(invalidateSchema));
  const read = await readSupporterFilter(campaign.id, formData);
  const submission = parseWithZod(formData, { schema: invalidateSchema });
  if (!read.ok) return json({ errors: read.errors as Errors | null, review: null as Review | null }, { status: 400 });
  if (submission.status !== "success") {
    const errors = submission.reply().error ?? {};
    // A missing reason keeps the confirmation on screen, with the message next to the field.
    const v = submission.payload;
    const review = v.intent === "invalidate" && !errors.ids && !errors.scope ? await reviewOf(read.filter, v.scope === "filter" ? undefined : toIds(v.ids), v.upTo) : null;
    return json({ errors: errors as Errors | null, review: review as Review | null }, { status: 400 });
  }
  const v = submission.value;
  const ids = v.scope === "selected" ? v.ids : undefined;
  if (v.intent === "review") return json({ errors: null as Errors | null, review: (await reviewOf(read.filter, ids)) as Review | null });
  const filter = { ...read.filter, upTo: v.upTo };
  const done = await invalidateSignatures(db(), filter, { campaignerId: session.campaigner.id, reason: v.reason!, ids });
  const back = new URLSearchParams(read.params);
  back.set("invalidated", String(done.invalidated));
  return redirect(`/admin/campaigns/${campaign.id}/supporters?${back}`);
}

type Errors = Record<string, string[] | null>;
type Review = Awaited<ReturnType<typeof reviewOf>>;

function toIds(raw: unknown): number[] {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, 500);
}

async function reviewOf(filter: Parameters<typeof countInvalidatable>[1], ids: number[] | undefined, upTo?: unknown) {
  const pinned = Number(upTo) > 0 ? Number(upTo) : await highestMatchingId(db(), filter);
  const count = await countInvalidatable(db(), { ...filter, upTo: ids ? undefined : pinned }, ids);
  return { count, scope: ids ? ("selected" as const) : ("filter" as const), ids: ids ?? [], upTo: pinned };
}

export default function Supporters() {
  const { raw, errors, actions, rows, next, counts, params } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const nextLink = next ? `?${new URLSearchParams([...params, ["before", String(next)]])}` : null;
  const exportLink = `/admin/campaigns/${useParams().id}/supporters/export?${new URLSearchParams(params)}`;
  const formErrors = result?.errors ?? undefined;
  return (
    <div className="workspace">
      <SupporterFilters raw={raw} actions={actions} errors={errors ?? undefined} />
      {search.get("invalidated") ? <p className="notice" role="status">{`${search.get("invalidated")} signatures invalidated. The counts follow.`}</p> : null}
      {counts ? (
        <div className="stat-grid" aria-label="Matching signatures by status">
          <Stat label="matching" value={counts.total} />
          <Stat label="confirmed" value={counts.counts.confirmed} />
          <Stat label="pending" value={counts.counts.pending} />
          <Stat label="expired" value={counts.counts.expired} />
          <Stat label="invalidated" value={counts.counts.invalidated} />
          <Stat label="held for review" value={counts.held} />
        </div>
      ) : null}
      {result?.review ? <InvalidateReview review={result.review} params={params} errors={formErrors} /> : null}
      <div className="button-row">
        <a href={exportLink} className="button" download>Download these as CSV</a>
      </div>
      <Form method="post" id="bulk">
        <CsrfInput />
        <FilterHiddenInputs params={params} />
        <input type="hidden" name="intent" value="review" />
        {formErrors && !result?.review ? <p className="form-error" role="alert">{Object.values(formErrors).flat().find(Boolean) ?? "Check the form."}</p> : null}
        <div className="table-wrap" tabIndex={0}>
          <table className="data">
            <thead>
              <tr><th><span className="visually-hidden">Select</span></th><th>Name</th><th>Email</th><th>Call to action</th><th>Status</th><th>Country</th><th>Signed</th></tr>
            </thead>
            <tbody>
              {rows.length === 0 ? <tr><td colSpan={7}>No signatures match.</td></tr> : null}
              {rows.map((r) => (
                <tr key={r.id}>
                  <td><input type="checkbox" name="ids" value={r.id} aria-label={`Select ${r.name}`} /></td>
                  <td><Link to={`${r.supporter_id}`}>{r.name}</Link></td>
                  <td>{r.email ?? <em>erased</em>}</td>
                  <td>{r.action_title}</td>
                  <td><span className={`badge ${r.status}`}>{r.status}</span>{r.held_at ? <> <span className="badge suspicious">held</span></> : null}</td>
                  <td>{r.country}</td>
                  <td>{new Date(r.created_at).toISOString().slice(0, 16).replace("T", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="button-row">
          <button type="submit" name="scope" value="selected" className="button">Invalidate selected…</button>
          {counts && counts.total > 0 ? <button type="submit" name="scope" value="filter" className="button">Invalidate everything matching this filter…</button> : null}
          <span className="spacer" />
          {search.get("before") ? <Link to={`?${new URLSearchParams(params)}`}>First page</Link> : null}
          {nextLink ? <Link to={nextLink} rel="next">Older signatures →</Link> : null}
        </div>
      </Form>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return <div className="stat"><div className="value">{value.toLocaleString("en")}</div><div className="label">{label}</div></div>;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
