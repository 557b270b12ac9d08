import { getSelectProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { AdminField } from "./field";

/** A select wired to its Conform field. */
export function AdminSelect({ field, label, hint, options }: { field: FieldMetadata<unknown>; label: string; hint?: ReactNode; options: { value: string; label: string }[] }) {
  return (
    <AdminField field={field} label={label} hint={hint}>
      <select {...getSelectProps(field, { ariaDescribedBy: hint ? field.descriptionId : undefined })}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </AdminField>
  );
}
