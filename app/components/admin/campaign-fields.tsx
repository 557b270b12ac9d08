import type { FieldMetadata } from "@conform-to/react";
import { LANGUAGE_NAMES, LANGUAGES } from "../../forms/workspace-common";
import { AdminInput, AdminTextarea } from "./field";
import { AdminSelect } from "./select";

type Fields = Record<string, FieldMetadata<unknown>>;

/** The fields of a campaign, shared by the new and edit pages. */
export function CampaignFields({ fields }: { fields: Fields }) {
  return (
    <>
      <AdminInput field={fields.slug!} label="Address" hint="Supporters find it at /campaigns/<address>: lower-case letters, digits and hyphens." />
      <AdminInput field={fields.goal!} label="Goal" type="number" hint="How many actions the campaign aims for." />
      <AdminInput field={fields.imageUrl!} label="Image address (optional)" type="url" hint="An https:// link to a picture hosted elsewhere." />
      <AdminSelect field={fields.defaultLanguage!} label="Default language" options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} hint="Supporters reading another language see this one when there is no translation." />
      {LANGUAGES.map((l) => (
        <fieldset key={l} className="panel">
          <legend>{LANGUAGE_NAMES[l]}</legend>
          <p className="hint">Leave every field empty if the campaign has no {LANGUAGE_NAMES[l]} version.</p>
          <AdminInput field={fields[`title_${l}`]!} label="Title" />
          <AdminTextarea field={fields[`summary_${l}`]!} label="Summary" rows={3} />
          <AdminTextarea field={fields[`story_${l}`]!} label="Story" rows={12} hint="Markdown: **bold**, _italic_, [links](https://…), lists and headings. HTML is shown as text." />
        </fieldset>
      ))}
    </>
  );
}
