import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { render } from "@react-email/render";
import { EmailLayout } from "./layout";
import { emailMessages } from "./messages";

export interface ConfirmSignatureProps {
  language: string;
  name: string;
  actionTitle: string;
  confirmUrl: string;
  reminder: boolean;
}

const text = { fontSize: 16, lineHeight: "24px", color: "#1d1d1d" };
const button = { backgroundColor: "#8a1c1c", color: "#ffffff", borderRadius: 4, padding: "12px 20px", fontSize: 16, fontWeight: 700 };
const small = { fontSize: 13, lineHeight: "20px", color: "#555555" };

/** The double opt-in email: one button that leads to the confirmation page. */
export function ConfirmSignatureEmail(props: ConfirmSignatureProps) {
  const m = emailMessages(props.language);
  return (
    <EmailLayout lang={props.language} preview={m.confirmPreview} footerText={m.footer}>
      <Text style={text}>{m.greeting(props.name)}</Text>
      <Text style={text}>{m.confirmIntro(props.actionTitle)}</Text>
      <Text style={text}>{props.reminder ? m.reminderAsk : m.confirmAsk}</Text>
      <Button href={props.confirmUrl} style={button}>{m.confirmButton}</Button>
      <Text style={small}>
        {m.confirmFallback}
        <br />
        <Link href={props.confirmUrl}>{props.confirmUrl}</Link>
      </Text>
      <Text style={small}>{m.expires} {m.confirmIgnore}</Text>
    </EmailLayout>
  );
}

/** Renders the confirmation email to subject, HTML and plain text. */
export async function renderConfirmSignature(props: ConfirmSignatureProps) {
  const m = emailMessages(props.language);
  const element = <ConfirmSignatureEmail {...props} />;
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: props.reminder ? m.reminderSubject : m.confirmSubject, html, text: plain };
}
