import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

/** A labelled workspace field with its hint and its error next to it. */
export function AdminField({ field, label, hint, children }: { field: FieldMetadata<unknown>; label: string; hint?: ReactNode; children: ReactNode }) {
  const error = field.errors?.[0];
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={field.id}>{label}</label>
      {children}
      {hint ? <p className="hint" id={field.descriptionId}>{hint}</p> : null}
      <p className="field-error" id={field.errorId} aria-live="polite">{error}</p>
    </div>
  );
}

type InputType = "text" | "email" | "password" | "number" | "url" | "date" | "datetime-local" | "search";

/** A text-like input wired to its Conform field. */
export function AdminInput({ field, label, hint, type = "text", ...rest }: { field: FieldMetadata<unknown>; label: string; hint?: ReactNode; type?: InputType; autoComplete?: string }) {
  return (
    <AdminField field={field} label={label} hint={hint}>
      <input {...getInputProps(field, { type, ariaDescribedBy: hint ? field.descriptionId : undefined })} {...rest} />
    </AdminField>
  );
}

/** A textarea wired to its Conform field. */
export function AdminTextarea({ field, label, hint, rows = 6 }: { field: FieldMetadata<unknown>; label: string; hint?: ReactNode; rows?: number }) {
  return (
    <AdminField field={field} label={label} hint={hint}>
      <textarea rows={rows} {...getTextareaProps(field, { ariaDescribedBy: hint ? field.descriptionId : undefined })} />
    </AdminField>
  );
}
