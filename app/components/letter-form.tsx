import { getCollectionProps, getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { forwardRef, type ReactNode } from "react";
import { fromReadable } from "#core/letter-templates";
import type { LetterActionView } from "#db/queries/letters";
import { useLanguage, useMessages } from "../root";
import { LetterText, knownValues, type KnownSupporter } from "./letter-text";

/** A letter as the form shows it: the officials to choose from and the template to start from. */
export type LetterFormView = Pick<LetterActionView, "editable" | "targets"> & {
  template: NonNullable<LetterActionView["template"]>;
  translation?: LetterActionView["translation"];
};

type Fields = Record<"name" | "email" | "country" | "postalCode" | "comment" | "updates" | "subject" | "body" | "targets", FieldMetadata<unknown>>;

const text = (v: unknown) => (typeof v === "string" ? v : "");
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

/** What the supporter has typed so far, read from the form. */
function supporterOf(fields: Fields): KnownSupporter {
  return { name: text(fields.name.value), country: text(fields.country.value), postalCode: text(fields.postalCode.value) };
}

/** The officials ticked, in the action's order. */
function chosen(letter: LetterFormView, fields: Fields) {
  const ticked = new Set(list(fields.targets.value));
  return letter.targets.filter((o) => ticked.has(String(o.id)));
}

/** The letter's subject and body as they will be stored: the supporter's words, or the template when it cannot be edited. */
function lettersWords(letter: LetterFormView, fields: Fields, blanks: Parameters<typeof fromReadable>[1]) {
  if (!letter.editable) return { subject: letter.template.subject, body: letter.template.body };
  return {
    subject: fromReadable(text(fields.subject.value).normalize("NFC").trim(), blanks),
    body: fromReadable(text(fields.body.value).normalize("NFC").trim().replace(/\r\n?/g, "\n"), blanks),
  };
}

function languageName(tag: string, reader: string): string {
  try {
    return new Intl.DisplayNames([reader], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * The letter part of the form: the officials, then the letter as it reads — filled in as the
 * supporter types, blanks where nothing is known yet — beside its reading translation, and the
 * wording to change when the action allows it.
 */
export function LetterSection({ letter, fields, errorText, children }: {
  letter: LetterFormView;
  fields: Fields;
  errorText: (errors: string[] | undefined) => string | undefined;
  children: ReactNode;
}) {
  const t = useMessages();
  const reader = useLanguage();
  const targets = fields.targets;
  const first = chosen(letter, fields)[0];
  const supporter = supporterOf(fields);
  const words = lettersWords(letter, fields, t.letterPage.blanks);
  const { translation, template } = letter;
  const wordsChanged = letter.editable && (fields.subject.dirty || fields.body.dirty);
  const wordingErrors = Boolean(fields.subject.errors?.length || fields.body.errors?.length);
  return (
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
        <p className="field-error" id={targets.errorId} aria-live="polite">{errorText(targets.errors)}</p>
      </fieldset>
      <div className={translation ? "letter-columns" : "letter-columns single"}>
        <section className="letter-column" aria-labelledby="letter-original">
          <h3 id="letter-original" className="letter-heading">{t.letterPage.inLanguage(languageName(template.language, reader))}</h3>
          <LetterText language={template.language} subject={words.subject} body={words.body} values={knownValues(template.language, supporter, first, template)} />
          {first ? <p className="hint">{t.letterPage.addressedTo(first.name)}</p> : null}
        </section>
        {translation ? (
          <section className="letter-column" aria-labelledby="letter-reading">
            <h3 id="letter-reading" className="letter-heading">{t.letterPage.reading(languageName(translation.language, reader))}</h3>
            <LetterText language={translation.language} subject={translation.subject} body={translation.body} values={knownValues(translation.language, supporter, first, translation)} className="reading" />
          </section>
        ) : null}
      </div>
      {letter.editable ? (
        <details className="letter-wording" open={wordsChanged || wordingErrors}>
          <summary>{t.letterPage.edit}</summary>
          {children}
        </details>
      ) : (
        <>
          <input {...getInputProps(fields.subject, { type: "hidden" })} />
          <input {...getInputProps(fields.body, { type: "hidden" })} />
          <p className="hint">{t.letter.fixed}</p>
        </>
      )}
    </>
  );
}

/** The wording fields, in the official's language, with blanks written `[your name]`. */
export function WordingFields({ letter, fields, field }: {
  letter: LetterFormView;
  fields: Fields;
  field: (f: FieldMetadata<unknown>, label: string, control: ReactNode, hint?: string) => ReactNode;
}) {
  const t = useMessages();
  return (
    <>
      {field(fields.subject, t.letter.subject, <input {...getInputProps(fields.subject, { type: "text" })} maxLength={200} lang={letter.template.language} dir="auto" />)}
      {field(
        fields.body,
        t.letter.body,
        <textarea {...getTextareaProps(fields.body, { ariaDescribedBy: fields.body.descriptionId })} rows={14} maxLength={5000} lang={letter.template.language} dir="auto" className="letter-body" />,
        t.letter.bodyHint,
      )}
    </>
  );
}

/**
 * The review: each official's own copy exactly as it will be printed and sent, in the official's
 * language, and who it is from; then Send or Change. Nothing is recorded before Send.
 */
export const LetterReview = forwardRef<HTMLHeadingElement, {
  letter: LetterFormView;
  fields: Fields;
  countries: { code: string; name: string }[];
  busy: boolean;
  onEdit?: (event: React.MouseEvent<HTMLButtonElement>) => void;
}>(function LetterReview({ letter, fields, countries, busy, onEdit }, heading) {
  const t = useMessages();
  const supporter = supporterOf(fields);
  const words = lettersWords(letter, fields, t.letterPage.blanks);
  const country = countries.find((c) => c.code === supporter.country)?.name ?? supporter.country;
  const updates = list(fields.updates.value).includes("on");
  return (
    <section className="letter-review" aria-labelledby="review-heading">
      <h2 id="review-heading" tabIndex={-1} ref={heading}>{t.letterPage.reviewHeading}</h2>
      <p>{t.letterPage.reviewIntro}</p>
      {chosen(letter, fields).map((official) => (
        <article key={official.id} className="review-letter" aria-labelledby={`review-to-${official.id}`}>
          <h3 id={`review-to-${official.id}`} className="letter-heading">
            {t.letterPage.to(official.name)}
            {official.name !== official.title ? <span className="hint"> · {official.title}</span> : null}
          </h3>
          <LetterText language={letter.template.language} subject={words.subject} body={words.body} values={knownValues(letter.template.language, supporter, official, letter.template, true)} />
        </article>
      ))}
      <h3 className="letter-heading">{t.letterPage.from}</h3>
      <dl className="review-details">
        <dt>{t.sign.name}</dt><dd>{supporter.name}</dd>
        <dt>{t.sign.email}</dt><dd>{text(fields.email.value)}</dd>
        <dt>{t.sign.country}</dt><dd>{country}</dd>
        {supporter.postalCode ? <><dt>{t.sign.postalCode}</dt><dd>{supporter.postalCode}</dd></> : null}
        {text(fields.comment.value).trim() ? <><dt>{t.sign.comment}</dt><dd className="letter-text">{text(fields.comment.value)}</dd></> : null}
      </dl>
      {updates ? <p>{t.letterPage.updatesYes}</p> : null}
      <p className="privacy-note">{t.letterAction.privacy}</p>
      <div className="review-actions">
        <button type="submit" name="intent" value="send" className="button primary" disabled={busy}>{busy ? t.sign.submitting : t.letter.submit}</button>
        <button type="submit" name="intent" value="edit" className="button" onClick={onEdit} disabled={busy}>{t.letterPage.change}</button>
      </div>
    </section>
  );
});
