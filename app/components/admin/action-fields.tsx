import { officialLabel } from "#db/officials-format";
import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { PLACEHOLDERS } from "#core/letter-templates";
import { LANGUAGE_NAMES, LANGUAGES } from "../../forms/workspace-common";
import { AdminField, AdminInput, AdminTextarea } from "./field";
import { AdminSelect } from "./select";

type Fields = Record<string, FieldMetadata<unknown>>;
export interface OfficialOption { id: number; name: string; title: string; organisation: string; country: string }

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v == null || v === "" ? [] : [String(v)]);

/** The fields of a call to action, shared by the add and edit pages. */
export function ActionFields({ fields, officials, kindFixed }: { fields: Fields; officials: OfficialOption[]; kindFixed: boolean }) {
  const chosen = new Set(asList(fields.targetIds!.initialValue));
  return (
    <>
      {kindFixed ? (
        <AdminField field={fields.kind!} label="Kind">
          <input type="hidden" name={fields.kind!.name} value={String(fields.kind!.initialValue)} />
          <p>{String(fields.kind!.initialValue)} — fixed, because supporters have already acted on it.</p>
        </AdminField>
      ) : (
        <AdminSelect field={fields.kind!} label="Kind" options={[{ value: "petition", label: "Petition" }, { value: "letter", label: "Letter to officials" }]} />
      )}
      <AdminInput field={fields.slug!} label="Address" hint="The last part of its link: /campaigns/<campaign>/<address>." />
      <AdminInput field={fields.goal!} label="Goal" type="number" />
      <label className="check"><input {...getInputProps(fields.letterEditable!, { type: "checkbox" })} /> Supporters may edit the letter before sending it (letters only)</label>
      <fieldset className="panel">
        <legend>Officials who receive the letters (or, for a petition, its signatures)</legend>
        {officials.length === 0 ? <p className="hint">The directory is empty: add officials first.</p> : null}
        {officials.map((o) => (
          <label key={o.id} className="check">
            <input type="checkbox" name={fields.targetIds!.name} value={o.id} defaultChecked={chosen.has(String(o.id))} /> {officialLabel(o)} — {o.organisation} ({o.country})
          </label>
        ))}
        <p className="field-error" id={fields.targetIds!.errorId}>{fields.targetIds!.errors?.[0]}</p>
      </fieldset>
      <fieldset className="panel">
        <legend>Delivery</legend>
        <AdminSelect
          field={fields.deliveryMode!}
          label="Deliver to the officials"
          options={[
            { value: "daily", label: "Daily, at a local hour in each official's time zone" },
            { value: "interval", label: "Every few hours" },
            { value: "threshold", label: "When enough letters or signatures are waiting" },
            { value: "manual", label: "Only when a campaigner says so" },
          ]}
        />
        <AdminInput field={fields.deliveryLocalHour!} label="Local hour (daily)" type="number" />
        <AdminInput field={fields.deliveryEveryHours!} label="Every how many hours (interval)" type="number" />
        <AdminInput field={fields.deliveryThreshold!} label="How many waiting (threshold)" type="number" />
      </fieldset>
      {LANGUAGES.map((l) => (
        <fieldset key={l} className="panel">
          <legend>{LANGUAGE_NAMES[l]}</legend>
          <AdminInput field={fields[`title_${l}`]!} label="Title" />
          <AdminTextarea field={fields[`ask_${l}`]!} label="What you ask supporters to do" rows={3} />
          <AdminInput field={fields[`subject_${l}`]!} label="Letter subject (letters only)" />
          <AdminTextarea
            field={fields[`body_${l}`]!}
            label="Letter (letters only)"
            rows={12}
            hint={<>Placeholders: {PLACEHOLDERS.map((p) => `{{${p}}}`).join(" ")}</>}
          />
        </fieldset>
      ))}
    </>
  );
}
