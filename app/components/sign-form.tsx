import { type Submission, getCollectionProps, getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { toReadable } from "#core/letter-templates";
import { parseSignForm } from "../forms/sign-check";
import { ErrorSummary, type SummaryError } from "./error-summary";
import { Honeypot } from "./honeypot";
import { LetterReview, LetterSection, WordingFields, type LetterFormView } from "./letter-form";
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

export type { LetterFormView };

/**
 * The sign form — and, for a letter action, the letter form: works as a plain POST without
 * JavaScript; validates as you go with it.
 */
export function SignForm({ countries, letter }: { countries: { code: string; name: string }[]; letter?: LetterFormView }) {
  const t = useMessages();
  const lastResult = useActionData<{ review?: boolean } | undefined>();
  const navigation = useNavigation();
  // The review step: in the page with JavaScript, or the server's answer to "review" without it.
  const [reviewing, setReviewing] = useState(lastResult?.review === true);
  // A new answer from the server (the review, or errors when sending) decides the step again.
  const [answered, setAnswered] = useState(lastResult);
  if (answered !== lastResult) {
    setAnswered(lastResult);
    setReviewing(lastResult?.review === true);
  }
  const reviewHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    if (reviewing) reviewHeading.current?.focus();
    else document.getElementById("sign-heading")?.focus();
  }, [reviewing]);
  const [form, fields] = useForm<FormShape>({
    lastResult: lastResult as never,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: letter
      ? {
        subject: toReadable(letter.template.subject, t.letterPage.blanks),
        body: toReadable(letter.template.body, t.letterPage.blanks),
        targets: letter.targets.map((x) => String(x.id)),
      }
      : undefined,
    onValidate: ({ formData }) =>
      parseSignForm(formData, { letter: !!letter }) as unknown as Submission<FormShape>,
    onSubmit: (event, { formData }) => {
      // A valid letter is reviewed in the page; only "Send" goes to the server.
      if (letter && formData.get("intent") === "review") {
        event.preventDefault();
        moved.current = true;
        setReviewing(true);
      }
    },
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
  const field = (f: FieldMetadata<unknown>, label: string, control: ReactNode, hint?: string) => <Field field={f} label={label} hint={hint}>{control}</Field>;
  return (
    <Form method="post" {...getFormProps(form)} className="sign-form">
      <Honeypot />
      <ErrorSummary title={t.a11y.errorSummary} hint={t.a11y.errorSummaryHint} errors={form.status === "error" ? summaryOf() : []} />
      <div className="form-fields" hidden={Boolean(letter && reviewing)}>
        {letter ? (
          <>
            <LetterSection letter={letter} fields={fields as never} errorText={(errors) => errorText(t, errors)}>
              <WordingFields letter={letter} fields={fields as never} field={field} />
            </LetterSection>
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
        {letter ? (
          <button type="submit" name="intent" value="review" className="button primary" disabled={busy}>{t.letterPage.review}</button>
        ) : (
          <button type="submit" className="button primary" disabled={busy}>{busy ? t.sign.submitting : t.sign.submit}</button>
        )}
      </div>
      {/* After the fields, hidden while the letter is reviewed, so a browser that has drawn Send or
          Change has already read every field it posts back: without JavaScript, a button pressed
          while the rest of the page was still arriving would post a form without them. */}
      {letter && reviewing ? (
        <LetterReview
          ref={reviewHeading}
          letter={letter}
          fields={fields as never}
          countries={countries}
          busy={busy}
          onEdit={(event) => {
            event.preventDefault();
            moved.current = true;
            setReviewing(false);
          }}
        />
      ) : null}
    </Form>
  );
}
