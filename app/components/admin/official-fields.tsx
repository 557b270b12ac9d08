import type { FieldMetadata } from "@conform-to/react";
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
      <AdminInput field={fields.language!} label="Language letters reach them in" hint="A language tag, BCP 47: es, en, fr, ar, tr, zh-Hans, pt-BR." />
      <AdminSelect
        field={fields.gender!}
        label="Address them as"
        hint="Languages such as French, Spanish and Arabic greet a woman and a man in different words. Leave it neutral when unsure."
        options={[{ value: "neutral", label: "Neutral words" }, { value: "female", label: "A woman (Madame, Estimada, السيدة)" }, { value: "male", label: "A man (Monsieur, Estimado, السيد)" }]}
      />
      <AdminInput field={fields.timeZone!} label="Time zone" hint="An IANA name, like America/Lima: daily deliveries arrive at a local hour." />
    </>
  );
}
