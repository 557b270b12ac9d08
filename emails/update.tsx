import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { render } from "@react-email/render";
import MarkdownIt from "markdown-it";
import { env as emailsEnv } from "#core/env";
import { dropUnlistedImages, isAllowedImage } from "./image-hosts";
import { EmailLayout } from "./layout";
import { emailMessages } from "./messages";

export interface UpdateEmailProps {
  language: string;
  subject: string;
  bodyMarkdown: string;
  campaignTitle: string;
  unsubscribeUrl: string;
}

// Raw HTML in a campaigner's Markdown is escaped; markdown-it refuses javascript:, vbscript: and data: links.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
// An image from anywhere else would tell its host who opened the email, and when.
dropUnlistedImages(md, (src) => isAllowedImage(src, emailsEnv().IMAGE_HOSTS, { siteOrigin: new URL(emailsEnv().APP_URL).origin }));

const body = { fontSize: 16, lineHeight: "24px", color: "#1d1d1d" };
const small = { fontSize: 13, lineHeight: "20px", color: "#555555" };

/** A campaign update: the campaigner's Markdown, then why it came and a one-click way out. */
export function UpdateEmail(props: UpdateEmailProps) {
  const m = emailMessages(props.language);
  return (
    <EmailLayout lang={props.language} preview={props.subject} footerText={m.footer}>
      <div style={body} dangerouslySetInnerHTML={{ __html: md.render(props.bodyMarkdown) }} />
      <Text style={small}>{m.updateWhy(props.campaignTitle)}</Text>
      <Text style={small}>
        {m.unsubscribeFrom(props.campaignTitle)} <Link href={props.unsubscribeUrl}>{m.unsubscribe}</Link>
      </Text>
    </EmailLayout>
  );
}

/** Renders an update to subject, HTML and plain text. */
export async function renderUpdate(props: UpdateEmailProps) {
  const element = <UpdateEmail {...props} />;
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: props.subject, html, text };
}
