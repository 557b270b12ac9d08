import { type Submission, getCollectionProps, getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { LetterActionView } from "#db/queries/letters";
import { letterSchema, signSchema } from "../forms/sign";
import { ErrorSummary, type SummaryError } from "./error-summary";
import { Honeypot } from "./honeypot";
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

// The letter form's fields are a superset of the sign form's; a petition never renders the extra ones.
type FormShape = {
  name: string; email: string; country: string; postalCode?: string; comment?: string; updates?: boolean;
  subject?: string; body?: string; targets?: string[];
};

/** A letter as the form shows it: the officials to choose from and the template to start from. */
export type LetterFormView = Pick<LetterActionView, "editable" | "targets"> & {
  template: NonNullable<LetterActionView["template"]>;
  translation?: LetterActionView["translation"];
};

/**
 * The sign form — and, for a letter action, the letter form: works as a plain POST without
 * JavaScript; validates as you go with it.
 */
export function SignForm({ countries, letter }: { countries: { code: string; name: string }[]; letter?: LetterFormView }) {
  const t = useMessages();
  const lastResult = useActionData<never>();
  const navigation = useNavigation();
  const [form, fields] = useForm<FormShape>({
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: letter
      ? { subject: letter.template.subject, body: letter.template.body, targets: letter.targets.map((x) => String(x.id)) }
      : undefined,
    onValidate: ({ formData }) =>
      (letter ? parseWithZod(formData, { schema: letterSchema }) : parseWithZod(formData, { schema: signSchema })) as unknown as Submission<FormShape>,
  });
  const busy = navigation.state === "submitting";
  const targets = fields.targets;
  // What the error summary lists, in the order of the form; the officials link to their first box.
  const summaryOf = (): SummaryError[] => {
    const firstTarget = letter ? getCollectionProps(targets, { type: "checkbox", options: letter.targets.map((x) => String(x.id)) })[0]?.id : undefined;
    const named: [FieldMetadata<unknown>, string | undefined][] = [
      ...(letter ? ([[targets, firstTarget], [fields.subject, fields.subject.id], [fields.body, fields.body.id]] as [FieldMetadata<unknown>, string][]) : []),
      ...([fields.name, fields.email, fields.country, fields.postalCode, fields.comment] as FieldMetadata<unknown>[]).map((f) => [f, f.id] as [FieldMetadata<unknown>, string]),
    ];
    const list: SummaryError[] = (form.errors ?? []).map((e) => ({ message: errorText(t, [e])! }));
    for (const [field, id] of named) {
      const message = errorText(t, field.errors);
      if (message) list.push({ id, message });
    }
    return list.length ? list : [{ message: t.sign.fixErrors }];
  };
  return (
    <Form method="post" {...getFormProps(form)} className="sign-form">
      <Honeypot />
      <ErrorSummary title={t.a11y.errorSummary} hint={t.a11y.errorSummaryHint} errors={form.status === "error" ? summaryOf() : []} />
      {letter ? (
        <>
          <fieldset className={targets.errors?.length ? "field officials has-error" : "field officials"} aria-describedby={`${targets.id}-hint`}>
            <legend>{t.letter.officials}</legend>
            {getCollectionProps(targets, { type: "checkbox", options: letter.targets.map((x) => String(x.id)) }).map((props) => {
              const official = letter.targets.find((x) => String(x.id) === props.value)!;
              return (
                <div className="checkbox" key={props.key}>
                  <input {...props} key={props.key} />
                  <label htmlFor={props.id} lang={official.language}>
                    <strong>{official.name}</strong>
                    {official.name !== official.title ? <span className="hint"> · {official.title}</span> : null}
                    <span className="hint"> · {official.organisation}</span>
                  </label>
                </div>
              );
            })}
            <p className="hint" id={`${targets.id}-hint`}>{t.letter.officialsHint}</p>
            <p className="field-error" id={targets.errorId} aria-live="polite">{errorText(t, targets.errors)}</p>
          </fieldset>
          <Field field={fields.subject} label={t.letter.subject}>
            <input {...getInputProps(fields.subject, { type: "text" })} maxLength={200} readOnly={!letter.editable} lang={letter.template.language} dir="auto" />
          </Field>
          <Field field={fields.body} label={t.letter.body} hint={letter.editable ? t.letter.bodyHint : t.letter.fixed}>
            <textarea
              {...getTextareaProps(fields.body, { ariaDescribedBy: fields.body.descriptionId })}
              rows={14}
              maxLength={5000}
              readOnly={!letter.editable}
              lang={letter.template.language}
              dir="auto"
              className="letter-body"
            />
          </Field>
          {letter.translation ? (
            <details className="translation" lang={letter.translation.language}>
              <summary>{t.letter.translation}</summary>
              <p><strong>{letter.translation.subject}</strong></p>
              <p className="letter-text">{letter.translation.body}</p>
            </details>
          ) : null}
          <h3 className="form-section">{t.letter.yourDetails}</h3>
        </>
      ) : null}
      <Field field={fields.name} label={t.sign.name}>
        <input {...getInputProps(fields.name, { type: "text" })} autoComplete="name" maxLength={100} aria-required="true" />
      </Field>
      <Field field={fields.email} label={t.sign.email}>
        <input {...getInputProps(fields.email, { type: "email" })} autoComplete="email" maxLength={254} aria-required="true" />
      </Field>
      <Field field={fields.country} label={t.sign.country}>
        <select {...getSelectProps(fields.country)} autoComplete="country" aria-required="true">
          <option value="">{t.sign.chooseCountry}</option>
          {countries.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
        </select>
      </Field>
      <Field field={fields.postalCode} label={t.sign.postalCode}>
        <input {...getInputProps(fields.postalCode, { type: "text" })} autoComplete="postal-code" maxLength={16} className="short" />
      </Field>
      <Field field={fields.comment} label={t.sign.comment} hint={t.sign.commentHint}>
        <textarea {...getTextareaProps(fields.comment, { ariaDescribedBy: fields.comment.descriptionId })} rows={3} maxLength={1000} />
      </Field>
      <div className="checkbox">
        <input {...getInputProps(fields.updates, { type: "checkbox" })} />
        <label htmlFor={fields.updates.id}>{t.sign.updates}</label>
      </div>
      <p className="privacy-note">{letter ? t.letterAction.privacy : t.sign.privacy}</p>
      <button type="submit" className="button primary" disabled={busy}>{busy ? t.sign.submitting : letter ? t.letter.submit : t.sign.submit}</button>
    </Form>
  );
}
