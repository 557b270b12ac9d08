import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import { embedsSchema } from "../../forms/embeds";
import { CsrfInput } from "./csrf-input";
import { AdminTextarea } from "./field";

export interface EmbedSettingsView {
  origins: string[];
  appUrl: string;
  campaignSlug: string;
  actions: string[];
}

/** The copy-paste code for one action on one partner page: a frame and the script that sizes it. */
export function embedSnippet(view: EmbedSettingsView, action: string, origin: string): string {
  const src = `${view.appUrl}/embed/campaigns/${view.campaignSlug}/${action}?origin=${encodeURIComponent(origin)}`;
  return `<iframe data-inkwell-embed src="${src}" title="Take action" style="width:100%;max-width:40rem;border:0;height:900px" loading="lazy"></iframe>\n<script src="${view.appUrl}/embed.js" async></script>`;
}

/** The workspace panel: which partner sites may frame the actions, and the code to give them. */
export function EmbedSettings({ view, lastResult, saved, busy }: { view: EmbedSettingsView; lastResult?: SubmissionResult<string[]>; saved: boolean; busy: boolean }) {
  const [form, fields] = useForm({
    id: "embeds",
    lastResult,
    defaultValue: { embedOrigins: view.origins.join("\n") },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: embedsSchema }),
  });
  return (
    <section className="panel">
      <h2>Embed on partner sites</h2>
      <p className="hint">Partner sites listed here may show this campaign's actions in a frame on their pages. Every other site is refused. Signatures made there are confirmed by email as usual and counted under the partner's name.</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="embeds" />
        {saved ? <p className="notice" role="status">Saved.</p> : null}
        <AdminTextarea field={fields.embedOrigins} label="Partner sites (one a line)" hint="The site's origin only, like https://partner.example.org." rows={3} />
        <button type="submit" className="button" disabled={busy}>Save partner sites</button>
      </Form>
      {view.origins.length > 0 && view.actions.length > 0 ? (
        <div className="stack">
          <h3>Code for partner pages</h3>
          {view.origins.flatMap((origin) =>
            view.actions.map((action) => (
              <div key={`${origin} ${action}`} className="field">
                <label htmlFor={`embed-${origin}-${action}`}>{action} on {origin}</label>
                <textarea id={`embed-${origin}-${action}`} className="embed-snippet" readOnly rows={3} value={embedSnippet(view, action, origin)} />
              </div>
            )),
          )}
        </div>
      ) : null}
    </section>
  );
}
