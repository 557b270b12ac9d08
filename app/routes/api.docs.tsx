import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { OPERATIONS } from "../lib/openapi.server";
import { TOKEN_HEADER } from "../lib/osdi.server";

export const meta: MetaFunction = () => [{ title: "API reference — Inkwell" }];

export function loader() {
  return { header: TOKEN_HEADER, operations: OPERATIONS.map(({ method, path, summary, scope, paged }) => ({ method, path, summary, scope, paged: paged ?? false })) };
}

export default function ApiDocs() {
  const { header, operations } = useLoaderData<typeof loader>();
  return (
    <section className="panel prose">
      <h1>Inkwell OSDI API</h1>
      <p>
        Inkwell speaks <a href="https://opensupporter.github.io/osdi-docs/">OSDI 1.1</a> in HAL+JSON. Campaigners create keys in the workspace
        (API keys); send yours in the <code>{header}</code> header. A key reaches only the campaigns it was made for and only with its scopes:
        <code>read</code> for petitions, letter actions and counts, <code>people</code> for people, signatures and letters, <code>write</code> for the record helpers.
      </p>
      <p>
        Collections come in pages of <code>per_page</code> (up to 100); follow <code>_links.next</code> until it is absent. Signatures recorded
        through a helper count only once the supporter confirms from the email Inkwell sends them, exactly as on the site.
        The full description is in <a href="/api/v1/openapi.json">openapi.json</a>.
      </p>
      <div className="table-wrap" tabIndex={0}>
      <table className="data">
        <thead><tr><th>Method</th><th>Path</th><th>Scope</th><th>What it does</th></tr></thead>
        <tbody>
          {operations.map((op) => (
            <tr key={op.method + op.path}>
              <td>{op.method.toUpperCase()}</td>
              <td><code>{op.path}</code>{op.paged ? " (paged)" : ""}</td>
              <td>{op.scope}</td>
              <td>{op.summary}</td>
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
