import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, INK, MUTED, link } from "./layout";
import { renderEmail } from "./render";
import { emailCount, emailMessages } from "./messages";

export interface DeliveredLetter {
  official: string;
  deliveredAt: Date;
}

export interface DeliveryNoticeProps {
  language: string;
  name: string;
  delivered: DeliveredLetter[];
  unsubscribeUrl: string;
}

const text = { fontSize: 16, lineHeight: "24px", color: INK };
const small = { fontSize: 13, lineHeight: "20px", color: MUTED };

function day(date: Date, language: string): string {
  return new Intl.DateTimeFormat(language === "es" ? "es-PE" : language === "en" ? "en-GB" : language, { dateStyle: "long", timeZone: "UTC" }).format(date);
}

/** "Your letter was delivered": one line per official reached that day. */
export function DeliveryNoticeEmail(props: DeliveryNoticeProps) {
  const m = emailMessages(props.language);
  return (
    <EmailLayout lang={props.language} title={emailCount(props.language, m.noticeSubject, props.delivered.length)} preview={m.noticePreview} footerText={m.footer}>
      <Text style={text}>{m.greeting(props.name)}</Text>
      <Text style={text}>{m.noticeIntro}</Text>
      {props.delivered.map((d) => (
        <Text key={`${d.official}-${d.deliveredAt.toISOString()}`} style={text}>• {m.noticeLine(d.official, day(d.deliveredAt, props.language))}</Text>
      ))}
      <Text style={text}>{m.noticeThanks}</Text>
      <Text style={small}>
        {m.noticeWhy} <Link href={props.unsubscribeUrl} style={link}>{m.unsubscribe}</Link>
      </Text>
    </EmailLayout>
  );
}

/** Renders a delivery notice to subject, HTML and plain text. */
export async function renderDeliveryNotice(props: DeliveryNoticeProps) {
  const m = emailMessages(props.language);
  return { subject: emailCount(props.language, m.noticeSubject, props.delivered.length), ...(await renderEmail(<DeliveryNoticeEmail {...props} />)) };
}
