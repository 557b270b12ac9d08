import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { db } from "#db/client";
import { importOfficials } from "#db/queries/official-changes";
import { CsrfInput } from "../components/admin/csrf-input";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { requireCampaigner, verifyCsrf } from "../lib/auth.server";
import { IMPORT_COLUMNS } from "../forms/workspace-official";
import { formShape, readForm } from "../lib/form-body.server";
import { planImport, type RowReport } from "../lib/officials-import.server";
import { nudgeDeliverySchedules } from "../lib/workspace.server";

export const meta: MetaFunction = () => [{ title: "Import officials — Inkwell workspace" }];

// The server refuses workspace bodies over 2 MB before they are read (413); a part can never be larger.
const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
/** The upload form: the file and the anti-forgery token, read through the same bounded reader as every form. */
// A function, not a module constant: the reader is server-only, so the browser build has no formShape to call.
const importForm = () => formShape([], { extra: ["csrf"], files: ["file"], maxValue: IMPORT_MAX_BYTES });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCampaigner(request);
  return null;
}

type Reply = { error: string } | { rows: RowReport[]; imported: number; updated: number; failed: number };

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireCampaigner(request);
  let formData: FormData;
  try {
    formData = await readForm(request, importForm());
  } catch (refusal) {
    if (!(refusal instanceof Response)) throw refusal;
    return json<Reply>({ error: "The upload could not be read. Choose the file again." }, { status: refusal.status });
  }
  verifyCsrf(formData, session);
  const file = formData.get("file");
  if (!(file instanceof Blob) || file.size === 0) return json<Reply>({ error: "Choose a CSV file to import." }, { status: 400 });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return json<Reply>({ error: "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again. Nothing was imported." }, { status: 400 });
  }
  const plan = planImport(text);
  if ("error" in plan) return json<Reply>({ error: plan.error }, { status: 400 });
  const outcomes = plan.valid.length
    ? await db().transaction().execute((trx) => importOfficials(trx, session.campaigner, plan.valid.map((v) => v.fields)))
    : [];
  if (outcomes.some((o) => o.outcome !== "refused")) await nudgeDeliverySchedules();
  const done: RowReport[] = plan.valid.map((v, i) => {
    const o = outcomes[i]!;
    return o.outcome === "refused" ? { row: v.row, name: v.fields.name, outcome: "failed", reason: o.reason } : { row: v.row, name: v.fields.name, outcome: o.outcome };
  });
  const rows = [...done, ...plan.failed].sort((a, b) => a.row - b.row);
  const count = (o: RowReport["outcome"]) => rows.filter((r) => r.outcome === o).length;
  const reply: Reply = { rows, imported: count("imported"), updated: count("updated"), failed: count("failed") };
  const written = outcomes.some((o) => o.outcome !== "refused");
  return json(reply, { status: written ? 200 : plan.valid.length === 0 ? 400 : 403 });
}

export default function ImportOfficials() {
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="stack">
      <h1>Import officials</h1>
      <p>
        A CSV file (UTF-8, up to 2 MB) whose first row names the columns: <code>{IMPORT_COLUMNS.join(",")}</code>. Name, title,
        organisation and a two-letter country code are required; language defaults to en and time zone to UTC. A row whose email
        matches an official already in the directory updates them. Valid rows are imported together; rows with a problem are
        listed below and can be fixed and imported again.
      </p>
      <Form method="post" encType="multipart/form-data" className="filters">
        <CsrfInput />
        <div className="field">
          <label htmlFor="file">CSV file</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <button type="submit" className="button primary" disabled={busy}>Import</button>
      </Form>
      {reply && "error" in reply ? <p className="form-error" role="alert">{reply.error}</p> : null}
      {reply && "rows" in reply ? (
        <>
          <p className="notice" role="status">{`${reply.imported} imported, ${reply.updated} updated, ${reply.failed} failed.`}</p>
          <div className="table-wrap report">
            <table className="data">
              <thead><tr><th className="num">Row</th><th>Name</th><th>Outcome</th><th>Reason</th></tr></thead>
              <tbody>
                {reply.rows.map((r) => (
                  <tr key={r.row}>
                    <td className="num">{r.row}</td>
                    <td>{r.name}</td>
                    <td className={r.outcome}>{r.outcome}</td>
                    <td>{r.reason ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
