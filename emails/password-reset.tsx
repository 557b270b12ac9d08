import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { render } from "@react-email/render";
import { EmailLayout } from "./layout";

const text = { fontSize: 16, lineHeight: "24px", color: "#1d1d1d" };
const button = { backgroundColor: "#8a1c1c", color: "#ffffff", borderRadius: 4, padding: "12px 20px", fontSize: 16, fontWeight: 700 };
const small = { fontSize: 13, lineHeight: "20px", color: "#555555" };

/** The campaigner's password reset email: one link, valid for an hour. */
export function PasswordResetEmail({ name, resetUrl }: { name: string; resetUrl: string }) {
  return (
    <EmailLayout lang="en" preview="Choose a new password for the Inkwell workspace" footerText="You receive this because someone asked to reset the password of your Inkwell workspace account.">
      <Text style={text}>Hello {name},</Text>
      <Text style={text}>Someone — hopefully you — asked to reset your Inkwell workspace password. The link below works once, for one hour.</Text>
      <Button href={resetUrl} style={button}>Choose a new password</Button>
      <Text style={small}>
        Or open this address: <br />
        <Link href={resetUrl}>{resetUrl}</Link>
      </Text>
      <Text style={small}>If you did not ask for this, ignore this email: your password stays as it is.</Text>
    </EmailLayout>
  );
}

/** Renders the password reset email to subject, HTML and plain text. */
export async function renderPasswordReset(props: { name: string; resetUrl: string }) {
  const element = <PasswordResetEmail {...props} />;
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: "Reset your Inkwell workspace password", html, text: plain };
}
