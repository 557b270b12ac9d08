import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { signSchema } from "../forms/sign";
import type { Messages } from "../i18n";
import { useMessages } from "../root";

function errorText(t: Messages, errors: string[] | undefined): string | undefined {
  const key = errors?.[0];
  if (!key) return undefined;
  return (t.errors as Record<string, string>)[key] ?? key;
}

function Field({ field, label, hint, children }: { field: FieldMetadata<unknown>; label: string; hint?: string; children: ReactNode }) {
  const t = useMessages();
  const message = errorText(t, field.errors);
  return (
    <div className={message ? "field has-error" : "field"}>
      <label htmlFor={field.id}>{label}</label>
      {children}
      {hint ? <p className="hint" id={field.descriptionId}>{hint}</p> : null}
      <p className="field-error" id={field.errorId} aria-live="polite">{message}</p>
    </div>
  );
}

/** The sign form: works as a plain POST without JavaScript; validates as you go with it. */
export function SignForm({ countries }: { countries: { code: string; name: string }[] }) {
  const t = useMessages();
  const lastResult = useActionData<never>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signSchema }),
  });
  const busy = navigation.state === "submitting";
  return (
    <Form method="post" {...getFormProps(form)} className="sign-form">
      {form.errors?.length ? <p className="form-error" role="alert">{errorText(t, form.errors)}</p> : null}
      {form.status === "error" && !form.errors?.length ? <p className="form-error" role="alert">{t.sign.fixErrors}</p> : null}
      <Field field={fields.name} label={t.sign.name}>
        <input {...getInputProps(fields.name, { type: "text" })} autoComplete="name" maxLength={100} aria-required="true" />
      </Field>
      <Field field={fields.email} label={t.sign.email}>
        <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" maxLength={254} aria-required="true" />
      </Field>
      <div className="field-row">
        <Field field={fields.country} label={t.sign.country}>
          <select {...getSelectProps(fields.country)} autoComplete="country" aria-required="true">
            <option value="">{t.sign.chooseCountry}</option>
            {countries.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
          </select>
        </Field>
        <Field field={fields.postalCode} label={t.sign.postalCode}>
          <input {...getInputProps(fields.postalCode, { type: "text" })} autoComplete="postal-code" maxLength={16} />
        </Field>
      </div>
      <Field field={fields.comment} label={t.sign.comment} hint={t.sign.commentHint}>
        <textarea {...getTextareaProps(fields.comment)} rows={3} maxLength={1000} />
      </Field>
      <div className="checkbox">
        <input {...getInputProps(fields.updates, { type: "checkbox" })} />
        <label htmlFor={fields.updates.id}>{t.sign.updates}</label>
      </div>
      <p className="privacy-note">{t.sign.privacy}</p>
      <button type="submit" className="button primary" disabled={busy}>{busy ? t.sign.submitting : t.sign.submit}</button>
    </Form>
  );
}
