import { env, type Env } from "#core/env";

/** The SMTP URL to send through: the configured one, or the embedded demo sink. */
export function smtpUrl(values: Env = env()): string {
  return values.SMTP_URL ?? `smtp://127.0.0.1:${values.DEMO_SMTP_PORT}`;
}

/** Demo mode, only when asked for (`npm run demo`), and with no SMTP_URL: mail goes to the embedded sink and the mailbox page. */
export function isDemoMode(values: Env = env()): boolean {
  return values.DEMO_MODE && !values.SMTP_URL;
}

/** nodemailer's DKIM options when signing is configured, else undefined. */
export function dkimOptions(values: Env = env()) {
  if (!values.DKIM_DOMAIN || !values.DKIM_SELECTOR || !values.DKIM_PRIVATE_KEY) return undefined;
  // A key passed through an env file often has its line breaks escaped.
  return { domainName: values.DKIM_DOMAIN, keySelector: values.DKIM_SELECTOR, privateKey: values.DKIM_PRIVATE_KEY.replace(/\\n/g, "\n") };
}
