import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { fillerOf, placeholders, splitTemplate, type Filler } from "./template-cache";
import { encodedPart, type PartBody, type PartFiller } from "./encoded-part";
import { BRAND, EmailLayout, INK, Lines, MUTED, button, link } from "./layout";
import { renderEmail } from "./render";
import { emailMessages } from "./messages";

export interface ConfirmSignatureProps {
  language: string;
  name: string;
  actionTitle: string;
  confirmUrl: string;
  reminder: boolean;
  /** The letter the supporter wrote, for a letter action: the email speaks of it and repeats it. */
  letter?: { subject: string; body: string };
}

const quote = { fontSize: 15, lineHeight: "23px", color: INK, borderInlineStart: `3px solid ${BRAND}`, paddingInlineStart: 12, margin: "8px 0 16px" };

const text = { fontSize: 16, lineHeight: "24px", color: INK };
const small = { fontSize: 13, lineHeight: "20px", color: MUTED };

/** The double opt-in email: one button that leads to the confirmation page. */
export function ConfirmSignatureEmail(props: ConfirmSignatureProps) {
  const m = emailMessages(props.language);
  const w = wording(props);
  return (
    <EmailLayout lang={props.language} title={w.subject} preview={w.preview} footerText={m.footer}>
      <Text style={text}>{m.greeting(props.name)}</Text>
      <Text style={text}>{m.confirmIntro(props.actionTitle)}</Text>
      <Text style={text}>{props.reminder ? w.reminderAsk : w.ask}</Text>
      <Button href={props.confirmUrl} style={button}>{w.button}</Button>
      <Text style={small}>
        {m.confirmFallback}
        <br />
        <Link href={props.confirmUrl} style={link}>{props.confirmUrl}</Link>
      </Text>
      {props.letter ? (
        <>
          <Text style={text}>{m.letterYours}</Text>
          <Text style={{ ...text, fontWeight: 700, margin: "0" }}>{props.letter.subject}</Text>
          <Text style={quote}>
            <Lines text={props.letter.body} />
          </Text>
        </>
      ) : null}
      <Text style={small}>{m.expires} {w.ignore}</Text>
    </EmailLayout>
  );
}

/** The words that differ between a petition's confirmation and a letter's. */
function wording(props: ConfirmSignatureProps) {
  const m = emailMessages(props.language);
  return props.letter
    ? { subject: props.reminder ? m.letterReminderSubject : m.letterConfirmSubject, preview: m.letterConfirmPreview, ask: m.letterConfirmAsk, reminderAsk: m.letterReminderAsk, button: m.letterConfirmButton, ignore: m.letterConfirmIgnore }
    : { subject: props.reminder ? m.reminderSubject : m.confirmSubject, preview: m.confirmPreview, ask: m.confirmAsk, reminderAsk: m.reminderAsk, button: m.confirmButton, ignore: m.confirmIgnore };
}

// Rendering React Email per message costs more than sending it. Each (language, reminder) variant is
// rendered once with placeholders, which are then replaced per message: escaped as React escapes
// text and attributes in the HTML, as html-to-text collapses whitespace in the plain text.
// The link shows three times in the HTML (button, fallback link and its text), twice in the text.
const KEYS = ["name", "actionTitle", "confirmUrl"] as const;
type Key = (typeof KEYS)[number];
const SLOTS = placeholders(KEYS, ["confirmUrl"]);
interface Template {
  html: Filler<Key>;
  text: Filler<Key>;
  htmlPart: PartFiller<Key>;
  textPart: PartFiller<Key>;
}
const rendered = new Map<string, Promise<Template>>();

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const asText = (value: string) => value.replace(/[ \t\r\n\f\u200b]+/g, " ");

async function renderUncached(props: ConfirmSignatureProps) {
  return renderEmail(<ConfirmSignatureEmail {...props} />);
}

async function compiled(props: ConfirmSignatureProps): Promise<Template> {
  const { html, text } = await renderUncached({ ...props, ...SLOTS });
  const htmlParts = splitTemplate(html, SLOTS, { confirmUrl: 3 });
  const textParts = splitTemplate(text, SLOTS, { confirmUrl: 2 });
  const fillHtml = fillerOf(htmlParts);
  const fillText = fillerOf(textParts);
  return {
    html: fillHtml,
    text: fillText,
    htmlPart: encodedPart("text/html", htmlParts, fillHtml),
    textPart: encodedPart("text/plain", textParts, fillText),
  };
}

/** The (language, reminder) variant's template, rendered once per process. */
function template(props: ConfirmSignatureProps): Promise<Template> {
  const key = `${props.language}:${props.reminder}`;
  let found = rendered.get(key);
  if (!found) {
    found = compiled(props);
    rendered.set(key, found);
    found.catch(() => rendered.get(key) === found && rendered.delete(key));
  }
  return found;
}

/** Renders the confirmation email to subject, HTML and plain text (`cached: false` renders it afresh, for comparison). */
export async function renderConfirmSignature(props: ConfirmSignatureProps, { cached = true } = {}) {
  const subject = wording(props).subject;
  // A letter's email carries the letter itself, line breaks and all: rendered afresh, never from the template.
  if (!cached || props.letter) return { subject, ...(await renderUncached(props)) };
  const { html, text } = await template(props);
  return { subject, html: html(props, escapeHtml), text: text(props, asText) };
}

/**
 * The confirmation email ready for the mailer: the message `renderConfirmSignature` gives, its
 * HTML and text parts encoded from the cached template where nodemailer would quote them
 * (`encodedPart`), so only the name, title and link are encoded per message.
 */
export async function prepareConfirmSignature(props: ConfirmSignatureProps): Promise<{ subject: string; html: PartBody; text: PartBody }> {
  if (props.letter) return renderConfirmSignature(props);
  const { htmlPart, textPart } = await template(props);
  return { subject: wording(props).subject, html: htmlPart(props, escapeHtml), text: textPart(props, asText) };
}
