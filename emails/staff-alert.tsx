import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { EmailLayout, INK, button, link } from "./layout";
import { renderEmail } from "./render";
import { describeAlert, type AlertFacts } from "./staff-alert-text";

const text = { fontSize: 16, lineHeight: "24px", color: INK };
const small = { fontSize: 14, lineHeight: "20px", color: INK, margin: "0 0 12px" };
const FOOTER = "You receive this because you work on this campaign in the Inkwell workspace. Choose which alerts you get, and whether they come at once or in a daily digest, on your account page.";

/** A workspace alert to one campaigner: what happened, what it means, and where to act. */
export function StaffAlertEmail({ name, alert, appUrl }: { name: string; alert: AlertFacts; appUrl: string }) {
  const a = describeAlert(alert);
  return (
    <EmailLayout lang="en" title={`[Inkwell] ${a.short}`} preview={a.headline} footerText={FOOTER}>
      <Text style={text}>Hello {name},</Text>
      <Text style={text}>{a.headline}</Text>
      {a.note ? <Text style={text}>{a.note}</Text> : null}
      <Button href={`${appUrl}${a.path}`} style={button}>Open the workspace</Button>
    </EmailLayout>
  );
}

/** The daily digest: every alert since the last one, oldest first. */
export function StaffDigestEmail({ name, alerts, appUrl }: { name: string; alerts: (AlertFacts & { createdAt: Date })[]; appUrl: string }) {
  return (
    <EmailLayout lang="en" title={`[Inkwell] Daily digest: ${alerts.length} alert(s)`} preview={`${alerts.length} workspace alert(s) since your last digest`} footerText={FOOTER}>
      <Text style={text}>Hello {name},</Text>
      <Text style={text}>Here is what happened on your campaigns since your last digest.</Text>
      {alerts.map((alert, i) => {
        const a = describeAlert(alert);
        return (
          <Section key={i}>
            <Text style={small}>
              <strong>{alert.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</strong> — {a.headline}{a.note ? ` ${a.note}` : ""}{" "}
              <Link href={`${appUrl}${a.path}`} style={link}>Open</Link>
            </Text>
          </Section>
        );
      })}
      <Button href={`${appUrl}/admin/notices`} style={button}>All notices</Button>
    </EmailLayout>
  );
}

/** Renders one alert email to subject, HTML and plain text. */
export async function renderStaffAlert(p: { name: string; alert: AlertFacts; appUrl: string }) {
  const a = describeAlert(p.alert);
  return { subject: `[Inkwell] ${a.short}`, ...(await renderEmail(<StaffAlertEmail {...p} />)) };
}

/** Renders a digest email to subject, HTML and plain text. */
export async function renderStaffDigest(p: { name: string; alerts: (AlertFacts & { createdAt: Date })[]; appUrl: string }) {
  return { subject: `[Inkwell] Daily digest: ${p.alerts.length} alert(s)`, ...(await renderEmail(<StaffDigestEmail {...p} />)) };
}
