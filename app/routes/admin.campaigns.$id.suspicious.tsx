import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "#db/client";
import { recordAudit } from "#db/queries/audit";
import { rearmHeldAlert } from "#db/queries/staff-alerts";
import { heldByAction, invalidateHeld, listHeld, releaseHeld, trendingFor } from "#db/queries/suspicious";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { verifiedForm } from "../lib/auth.server";
import { requireCampaignAccess } from "../lib/roles.server";
import { notFound } from "../lib/http.server";

const PAGE = 200;

async function chosenAction(campaignId: number, requested: string | null) {
  const actions = await heldByAction(db(), campaignId);
  const id = Number(requested);
  const action = requested ? actions.find((a) => a.id === id) : (actions.find((a) => a.held > 0) ?? actions[0]);
  if (requested && !action) notFound();
  return { actions, action };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaignAccess(request, params.id);
  const url = new URL(request.url);
  const { actions, action } = await chosenAction(campaign.id, url.searchParams.get("action"));
  const held = action ? await listHeld(db(), action.id, { limit: PAGE }) : [];
  const trending = action ? await trendingFor(db(), action.id, 24) : [];
  const { held_alert_threshold: threshold } = await db().selectFrom("campaigns").select("held_alert_threshold").where("id", "=", campaign.id).executeTakeFirstOrThrow();
  return { actions, action: action ?? null, held, trending, threshold, done: url.searchParams.get("done") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, campaign } = await requireCampaignAccess(request, params.id);
  const form = await verifiedForm(request, session);
  if (form.get("intent") === "threshold") return saveThreshold(session.campaigner.id, campaign.id, form.get("threshold"));
  const { action: callToAction } = await chosenAction(campaign.id, String(form.get("action") ?? ""));
  if (!callToAction) notFound();
  const ids = form.getAll("ids").map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, PAGE);
  const intent = form.get("intent");
  const reason = String(form.get("reason") ?? "").trim();
  if (ids.length === 0) return json({ error: "Tick at least one signature." }, { status: 400 });
  if (intent !== "release" && intent !== "invalidate") return json({ error: "Choose release or invalidate." }, { status: 400 });
  if (intent === "invalidate" && (reason.length === 0 || reason.length > 200)) {
    return json({ error: "Give a reason for invalidating (up to 200 characters): it is kept in the campaign's history." }, { status: 400 });
  }
  const changed = await db().transaction().execute(async (trx) => {
    const done = intent === "release" ? await releaseHeld(trx, callToAction.id, ids) : await invalidateHeld(trx, callToAction.id, ids, reason);
    if (done.length) {
      await rearmHeldAlert(trx, campaign.id);
      await recordAudit(trx, {
        campaignerId: session.campaigner.id, campaignId: campaign.id, action: `signatures.${intent}`,
        subjectType: "action", subjectId: callToAction.id, details: { signatureIds: done, ...(intent === "invalidate" ? { reason } : {}) },
      });
    }
    return done.length;
  });
  return redirect(`/admin/campaigns/${campaign.id}/suspicious?action=${callToAction.id}&done=${intent}-${changed}`);
}

/** How many held signatures alert the campaign's campaigners; the next crossing alerts again. */
async function saveThreshold(campaignerId: number, campaignId: number, raw: FormDataEntryValue | null) {
  const value = typeof raw === "string" && /^\s*[0-9]{1,6}\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= 100_000)) return json({ error: "Enter the alert threshold as a whole number from 1 to 100,000." }, { status: 400 });
  await db().transaction().execute(async (trx) => {
    await trx.updateTable("campaigns").set({ held_alert_threshold: value }).where("id", "=", campaignId).execute();
    await rearmHeldAlert(trx, campaignId);
    await recordAudit(trx, { campaignerId, campaignId, action: "campaign.held_alert_threshold", subjectType: "campaign", subjectId: campaignId, details: { threshold: value } });
  });
  return redirect(`/admin/campaigns/${campaignId}/suspicious?done=threshold-${value}`);
}

const when = (d: string | Date) => new Date(d).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export default function SuspiciousReview() {
  const { actions, action: current, held, trending, threshold, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [verb, count] = done?.split("-") ?? [];
  return (
    <section className="stack">
      <h2>Review held signatures</h2>
      <p className="hint">
        Past the per-IP threshold, signatures are accepted but held: not counted and not delivered, and the sender is not told.
        Release the genuine ones; invalidate the rest with a reason.
      </p>
      <nav className="button-row" aria-label="Calls to action">
        {actions.map((a) => (
          <Link key={a.id} to={`?action=${a.id}`} aria-current={a.id === current?.id ? "page" : undefined}>{`${a.slug} (${a.held})`}</Link>
        ))}
      </nav>
      {done && verb !== "threshold" ? <p className="notice" role="status">{`${count} signature${count === "1" ? "" : "s"} ${verb === "release" ? "released" : "invalidated"}.`}</p> : null}
      {verb === "threshold" ? <p className="notice" role="status">{`Alert threshold set to ${count}.`}</p> : null}
      <Form method="post" className="inline-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="threshold" />
        <label htmlFor="threshold">Alert the campaign&apos;s campaigners when this many signatures are held</label>{" "}
        <input id="threshold" name="threshold" type="number" min={1} max={100000} required defaultValue={threshold} className="narrow" />{" "}
        <button type="submit" className="button">Save</button>
      </Form>
      {result?.error ? <p className="form-error" role="alert">{result.error}</p> : null}
      {current && held.length > 0 ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <input type="hidden" name="action" value={current.id} />
          <div className="table-wrap" tabIndex={0}>
            <table className="data">
              <thead><tr><th scope="col">Select</th><th>Name</th><th>Country</th><th>Email domain</th><th>IP fingerprint</th><th>Status</th><th>Signed</th><th>Why held</th></tr></thead>
              <tbody>
                {held.map((h) => (
                  <tr key={h.id}>
                    <td><input type="checkbox" name="ids" value={h.id} aria-label={`Select ${h.name}`} /></td>
                    <td>{h.name}</td>
                    <td>{h.country}</td>
                    <td>{h.emailDomain}</td>
                    <td><code>{h.ipFingerprint ?? "—"}</code></td>
                    <td><span className={`badge ${h.status}`}>{h.status}</span></td>
                    <td>{when(h.createdAt)}</td>
                    <td>{h.heldReason ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="field">
            <label htmlFor="reason">Reason (needed to invalidate; kept in the campaign's history)</label>
            <input id="reason" name="reason" maxLength={200} />
          </div>
          <div className="button-row">
            <button type="submit" name="intent" value="release" className="button primary">Release selected</button>
            <button type="submit" name="intent" value="invalidate" className="button danger">Invalidate selected</button>
          </div>
        </Form>
      ) : (
        <p>No signatures are held on this call to action.</p>
      )}

      <h3>Trending in the last 24 hours</h3>
      <p className="hint">Hourly: IP fingerprints (keyed hashes, never addresses) and email domains behind five or more signatures in an hour.</p>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead><tr><th>Hour</th><th>Kind</th><th>Value</th><th>Signatures</th><th>Held</th></tr></thead>
          <tbody>
            {trending.length === 0 ? <tr><td colSpan={5}>Nothing trending.</td></tr> : null}
            {trending.map((r) => (
              <tr key={`${r.windowEnd}-${r.kind}-${r.value}`}>
                <td>{when(r.windowStart)}</td>
                <td>{r.kind === "ip" ? "IP" : "Domain"}</td>
                <td><code>{r.value}</code></td>
                <td>{r.signatures}</td>
                <td>{r.held}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
