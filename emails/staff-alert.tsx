import { Button } from "@react-email/button";
import { Text } from "@react-email/text";
import { EmailLayout, INK, button } from "./layout";
import { renderEmail } from "./render";

const text = { fontSize: 16, lineHeight: "24px", color: INK };

export interface StaffAlertProps {
  name: string;
  kind: "bounce" | "complaint" | "reply";
  campaignTitle: string;
  officialName: string;
  batch: number;
  reason: string | null;
  url: string;
}

const headline = {
  bounce: (p: StaffAlertProps) => `The address of ${p.officialName} bounced batch ${p.batch} of “${p.campaignTitle}”.`,
  complaint: (p: StaffAlertProps) => `${p.officialName}'s mail system reported batch ${p.batch} of “${p.campaignTitle}” as unwanted.`,
  reply: (p: StaffAlertProps) => `${p.officialName} replied to batch ${p.batch} of “${p.campaignTitle}”.`,
};

/** A workspace alert to a campaign owner: what happened, why, and where to act. */
export function StaffAlertEmail(p: StaffAlertProps) {
  return (
    <EmailLayout lang="en" title={subjectOf(p)} preview={headline[p.kind](p)} footerText="You receive this because you own this campaign in the Inkwell workspace.">
      <Text style={text}>Hello {p.name},</Text>
      <Text style={text}>{headline[p.kind](p)}</Text>
      {p.reason ? <Text style={text}>The receiving server said: {p.reason}</Text> : null}
      {p.kind === "bounce" ? (
        <Text style={text}>Their letters are held, not lost: correct the official&apos;s address and the held batch goes out again.</Text>
      ) : null}
      <Button href={p.url} style={button}>Open the workspace</Button>
    </EmailLayout>
  );
}

/** Renders a staff alert to subject, HTML and plain text. */
export async function renderStaffAlert(p: StaffAlertProps) {
  return { subject: subjectOf(p), ...(await renderEmail(<StaffAlertEmail {...p} />)) };
}

function subjectOf(p: StaffAlertProps): string {
  const kind = { bounce: "Bounced", complaint: "Complaint", reply: "Reply" }[p.kind];
  return `[Inkwell] ${kind}: ${p.officialName} — ${p.campaignTitle}`;
}
