import { Form } from "@remix-run/react";
import { SIGNATURE_STATUSES } from "../../forms/workspace-supporters";

export type FilterErrors = Record<string, string[] | null> | undefined;
type Raw = Record<string, string>;

function Field({ name, label, errors, children }: { name: string; label: string; errors: FilterErrors; children: React.ReactNode }) {
  const error = errors?.[name]?.[0];
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={`filter-${name}`}>{label}</label>
      {children}
      <p className="field-error" id={`filter-${name}-error`} aria-live="polite">{error}</p>
    </div>
  );
}

/** The supporters list's filters: a GET form, so a filtered list is a link that can be shared and reloaded. */
export function SupporterFilters({ raw, actions, errors }: { raw: Raw; actions: { id: number; title: string }[]; errors: FilterErrors }) {
  const aria = (name: string) => (errors?.[name]?.[0] ? { "aria-invalid": true, "aria-describedby": `filter-${name}-error` } : {});
  return (
    <Form method="get" className="filters" aria-label="Filter signatures">
      <Field name="q" label="Name starts with, or exact email" errors={errors}>
        <input id="filter-q" name="q" type="search" defaultValue={raw.q ?? ""} {...aria("q")} />
      </Field>
      <Field name="action" label="Call to action" errors={errors}>
        <select id="filter-action" name="action" defaultValue={raw.action ?? ""} {...aria("action")}>
          <option value="">All</option>
          {actions.map((a) => <option key={a.id} value={a.id}>{a.title}</option>)}
        </select>
      </Field>
      <Field name="status" label="Status" errors={errors}>
        <select id="filter-status" name="status" defaultValue={raw.status ?? ""} {...aria("status")}>
          <option value="">All</option>
          {SIGNATURE_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </Field>
      <Field name="country" label="Country" errors={errors}>
        <input id="filter-country" name="country" size={4} maxLength={2} defaultValue={raw.country ?? ""} placeholder="PE" {...aria("country")} />
      </Field>
      <Field name="from" label="Signed from" errors={errors}>
        <input id="filter-from" name="from" type="date" defaultValue={raw.from ?? ""} {...aria("from")} />
      </Field>
      <Field name="to" label="to" errors={errors}>
        <input id="filter-to" name="to" type="date" defaultValue={raw.to ?? ""} {...aria("to")} />
      </Field>
      <div className="button-row">
        <button type="submit" className="button">Filter</button>
      </div>
    </Form>
  );
}

/** The current filter carried along by a POST form. */
export function FilterHiddenInputs({ params }: { params: [string, string][] }) {
  return <>{params.map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}</>;
}
