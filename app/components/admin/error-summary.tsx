import type { FieldMetadata, FormMetadata } from "@conform-to/react";
import { ErrorSummary, type SummaryError } from "../error-summary";

/**
 * The error summary of a workspace form (in English, like the workspace): the form's own message,
 * then each wrong field in the order given, linked to it. Shown once a submit has failed.
 */
export function WorkspaceErrorSummary({ form, fields, names }: { form: FormMetadata<never>; fields: Record<string, FieldMetadata<unknown>>; names: string[] }) {
  if (form.status !== "error") return null;
  const errors: SummaryError[] = (form.errors ?? []).map((message) => ({ message }));
  for (const name of names) {
    const field = fields[name];
    const message = field?.errors?.[0];
    if (field && message) errors.push({ id: field.id, message });
  }
  return <ErrorSummary title="There is a problem" hint="Correct the following, then send the form again:" errors={errors} />;
}
