import type { FieldMetadata } from "@conform-to/react";
import { AdminInput, AdminTextarea } from "./field";

const NAMES: Record<string, string> = { en: "English", es: "Spanish" };

/** Subject and Markdown body for each of the campaign's languages (the first is required). */
export function UpdateFields({ fields, languages }: { fields: Record<string, FieldMetadata<unknown>>; languages: string[] }) {
  return (
    <>
      {languages.map((l, i) => (
        <fieldset key={l} className="panel">
          <legend>{NAMES[l] ?? l}{i === 0 ? "" : " (optional: supporters who read it get English otherwise)"}</legend>
          <AdminInput field={fields[`subject_${l}`]!} label="Subject" />
          <AdminTextarea field={fields[`body_${l}`]!} label="Message (Markdown)" rows={10} hint="**bold**, _italic_, [a link](https://…), blank lines between paragraphs. Raw HTML is shown as text." />
        </fieldset>
      ))}
    </>
  );
}
