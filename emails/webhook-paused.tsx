import { Button } from "@react-email/button";
import { Text } from "@react-email/text";
import { EmailLayout, INK, button, link } from "./layout";
import { renderEmail } from "./render";

const SUBJECT = "A webhook endpoint was paused";
const text = { fontSize: 16, lineHeight: "24px", color: INK };
const code = { ...text, fontFamily: "ui-monospace, Menlo, Consolas, monospace", fontSize: 14, overflowWrap: link.overflowWrap, wordBreak: "break-all" as const };

interface WebhookPausedProps {
  url: string;
  failures: number;
  workspaceUrl: string;
}

/** The alert a campaign's owners get when one of its webhook endpoints is paused after failing. */
export function WebhookPausedEmail(p: WebhookPausedProps) {
  return (
    <EmailLayout lang="en" title={SUBJECT} preview={`Events to ${p.url} are paused`} footerText="You receive this because you own this campaign in the Inkwell workspace.">
      <Text style={text}>Inkwell stopped sending events to this address after {p.failures} failed attempts in a row:</Text>
      <Text style={code}>{p.url}</Text>
      <Text style={text}>Events are still recorded. Once the endpoint works again, resume it and replay what it missed.</Text>
      <Button href={p.workspaceUrl} style={button}>Open the webhooks page</Button>
    </EmailLayout>
  );
}

/** Renders the webhook pause alert to subject, HTML and plain text. */
export async function renderWebhookPaused(input: WebhookPausedProps) {
  return { subject: SUBJECT, ...(await renderEmail(<WebhookPausedEmail {...input} />)) };
}
