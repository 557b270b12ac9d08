import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import MarkdownIt from "markdown-it";
import { env as emailsEnv } from "#core/env";
import { dropUnlistedImages, isAllowedImage } from "./image-hosts";
import { EmailLayout, INK, MUTED, link } from "./layout";
import { renderEmail } from "./render";
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

// Links in the campaigner's text look like every other link of the email: brand red, underlined, wrapping.
const linkStyle = Object.entries(link).map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${v}`).join(";");
const openLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("style", linkStyle);
  return openLink(tokens, idx, options, env, self);
};

const body = { fontSize: 16, lineHeight: "24px", color: INK };
const small = { fontSize: 13, lineHeight: "20px", color: MUTED };

/** A campaign update: the campaigner's Markdown, then why it came and a one-click way out. */
export function UpdateEmail(props: UpdateEmailProps) {
  const m = emailMessages(props.language);
  return (
    <EmailLayout lang={props.language} title={props.subject} preview={props.subject} footerText={m.footer}>
      <div style={body} dangerouslySetInnerHTML={{ __html: md.render(props.bodyMarkdown) }} />
      <Text style={small}>{m.updateWhy(props.campaignTitle)}</Text>
      <Text style={small}>
        {m.unsubscribeFrom(props.campaignTitle)} <Link href={props.unsubscribeUrl} style={link}>{m.unsubscribe}</Link>
      </Text>
    </EmailLayout>
  );
}

/** Renders an update to subject, HTML and plain text. */
export async function renderUpdate(props: UpdateEmailProps) {
  return { subject: props.subject, ...(await renderEmail(<UpdateEmail {...props} />)) };
}
