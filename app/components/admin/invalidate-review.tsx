import { Form, Link } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";
import { FilterHiddenInputs } from "./supporter-filters";

interface Review {
  count: number;
  scope: "selected" | "filter";
  ids: number[];
  upTo: number;
}

/** The confirmation step of an invalidation: how many, and the reason that goes into the history. */
export function InvalidateReview({ review, params, errors }: { review: Review; params: [string, string][]; errors?: Record<string, string[] | null> }) {
  const error = errors?.reason?.[0];
  if (review.count === 0) {
    return <p className="notice" role="status">None of these can be invalidated: only pending and confirmed signatures can.</p>;
  }
  return (
    <Form method="post" className="panel confirm-panel" aria-labelledby="invalidate-title">
      <h2 id="invalidate-title">{`Invalidate ${review.count.toLocaleString("en")} signature${review.count === 1 ? "" : "s"}?`}</h2>
      <p>
        {review.scope === "filter" ? "Every pending or confirmed signature matching the current filter" : "The ticked signatures"} stop counting
        and will not be delivered. This cannot be undone.
      </p>
      <CsrfInput />
      <FilterHiddenInputs params={params} />
      <input type="hidden" name="intent" value="invalidate" />
      <input type="hidden" name="scope" value={review.scope} />
      <input type="hidden" name="upTo" value={review.upTo} />
      {review.ids.map((id) => <input key={id} type="hidden" name="ids" value={id} />)}
      <div className={error ? "field has-error" : "field"}>
        <label htmlFor="invalidate-reason">Reason (kept in the campaign's history)</label>
        <textarea id="invalidate-reason" name="reason" rows={3} maxLength={500} required aria-invalid={error ? true : undefined} aria-describedby="invalidate-reason-error" />
        <p className="field-error" id="invalidate-reason-error" aria-live="polite">{error}</p>
      </div>
      <div className="button-row">
        <button type="submit" className="button primary danger">{`Invalidate ${review.count.toLocaleString("en")}`}</button>
        <Link to={`?${new URLSearchParams(params)}`}>Cancel</Link>
      </div>
    </Form>
  );
}
