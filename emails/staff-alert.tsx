import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { render } from "@react-email/render";
import { EmailLayout } from "./layout";
import { describeAlert, type AlertFacts } from "./staff-alert-text";

const text = { fontSize: 16, lineHeight: "24px", color: "#1d1d1d" };
const small = { fontSize: 14, lineHeight: "20px", color: "#3a3a3a", margin: "0 0 12px" };
const button = { backgroundColor: "#8a1c1c", color: "#ffffff", borderRadius: 4, padding: "12px 20px", fontSize: 16, fontWeight: 700 };
const FOOTER = "You receive this because you work on this campaign in the Inkwell workspace. Choose which alerts you get, and whether they come at once or in a daily digest, on your account page.";

/** A workspace alert to one campaigner: what happened, what it means, and where to act. */
export function StaffAlertEmail({ name, alert, appUrl }: { name: string; alert: AlertFacts; appUrl: string }) {
  const a = describeAlert(alert);
  return (
    <EmailLayout lang="en" preview={a.headline} footerText={FOOTER}>
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
    <EmailLayout lang="en" preview={`${alerts.length} workspace alert(s) since your last digest`} footerText={FOOTER}>
      <Text style={text}>Hello {name},</Text>
      <Text style={text}>Here is what happened on your campaigns since your last digest.</Text>
      {alerts.map((alert, i) => {
        const a = describeAlert(alert);
        return (
          <Section key={i}>
            <Text style={small}>
              <strong>{alert.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</strong> — {a.headline}{a.note ? ` ${a.note}` : ""}{" "}
              <Link href={`${appUrl}${a.path}`}>Open</Link>
            </Text>
          </Section>
        );
      })}
      <Button href={`${appUrl}/admin/notices`} style={button}>All notices</Button>
    </EmailLayout>
  );
}

async function both(element: JSX.Element) {
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text: plain };
}

/** Renders one alert email to subject, HTML and plain text. */
export async function renderStaffAlert(p: { name: string; alert: AlertFacts; appUrl: string }) {
  const a = describeAlert(p.alert);
  return { subject: `[Inkwell] ${a.short}`, ...(await both(<StaffAlertEmail {...p} />)) };
}

/** Renders a digest email to subject, HTML and plain text. */
export async function renderStaffDigest(p: { name: string; alerts: (AlertFacts & { createdAt: Date })[]; appUrl: string }) {
  return { subject: `[Inkwell] Daily digest: ${p.alerts.length} alert(s)`, ...(await both(<StaffDigestEmail {...p} />)) };
}
