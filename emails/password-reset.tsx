import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, INK, MUTED, button, link } from "./layout";
import { renderEmail } from "./render";

const SUBJECT = "Reset your Inkwell workspace password";

const text = { fontSize: 16, lineHeight: "24px", color: INK };
const small = { fontSize: 13, lineHeight: "20px", color: MUTED };

/** The campaigner's password reset email: one link, valid for an hour. */
export function PasswordResetEmail({ name, resetUrl }: { name: string; resetUrl: string }) {
  return (
    <EmailLayout lang="en" title={SUBJECT} preview="Choose a new password for the Inkwell workspace" footerText="You receive this because someone asked to reset the password of your Inkwell workspace account.">
      <Text style={text}>Hello {name},</Text>
      <Text style={text}>Someone — hopefully you — asked to reset your Inkwell workspace password. The link below works once, for one hour.</Text>
      <Button href={resetUrl} style={button}>Choose a new password</Button>
      <Text style={small}>
        Or open this address: <br />
        <Link href={resetUrl} style={link}>{resetUrl}</Link>
      </Text>
      <Text style={small}>If you did not ask for this, ignore this email: your password stays as it is.</Text>
    </EmailLayout>
  );
}

/** Renders the password reset email to subject, HTML and plain text. */
export async function renderPasswordReset(props: { name: string; resetUrl: string }) {
  return { subject: SUBJECT, ...(await renderEmail(<PasswordResetEmail {...props} />)) };
}
