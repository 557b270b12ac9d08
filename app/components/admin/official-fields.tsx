import type { FieldMetadata } from "@conform-to/react";
import { LANGUAGE_NAMES, LANGUAGES } from "../../forms/workspace-common";
import { AdminInput, AdminTextarea } from "./field";
import { AdminSelect } from "./select";

type Fields = Record<string, FieldMetadata<unknown>>;

/** The fields of an official, shared by the add and edit pages. */
export function OfficialFields({ fields }: { fields: Fields }) {
  return (
    <>
      <AdminInput field={fields.name!} label="Name" />
      <AdminInput field={fields.title!} label="Title" hint="Their office, as a letter addresses it: Minister of Justice." />
      <AdminInput field={fields.organisation!} label="Organisation" />
      <AdminInput field={fields.country!} label="Country code" hint="Two letters, ISO 3166: PE, ES, GB." />
      <AdminInput field={fields.email!} label="Email (letters are delivered here)" type="email" />
      <AdminTextarea field={fields.postalAddress!} label="Postal address" rows={3} />
      <AdminSelect field={fields.language!} label="Language letters reach them in" options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} />
      <AdminInput field={fields.timeZone!} label="Time zone" hint="An IANA name, like America/Lima: daily deliveries arrive at a local hour." />
    </>
  );
}
