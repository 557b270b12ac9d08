import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import { dkimOptions, smtpUrl } from "./config";
import { env as emailsEnv } from "#core/env";
import type { PartBody } from "./encoded-part";

export interface OutgoingMail {
  to: string;
  subject: string;
  /** The HTML and plain-text parts: the text, or a part already encoded (`encodedPart`). */
  html: PartBody;
  text: PartBody;
  messageId: string;
  replyTo?: string;
  headers?: Record<string, string>;
  attachments?: SendMailOptions["attachments"];
  /** The envelope sender (a VERP return address) that bounces come back to. */
  returnPath?: string;
  /** Delivery status notifications to ask the relay for (RFC 3461). */
  dsn?: SendMailOptions["dsn"];
}

const globalForMailer = globalThis as unknown as { __inkwellMailer?: Transporter };

/** The process-wide pooled SMTP transport. */
export function mailer(): Transporter {
  return (globalForMailer.__inkwellMailer ??= createTransport(smtpUrl()));
}

/** A pooled transport for an SMTP URL; tests and the benchmark make their own. */
export function createTransport(url: string, maxConnections = 5, dkim = dkimOptions()): Transporter {
  const u = new URL(url);
  const insecureLocal = u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "::1";
  return nodemailer.createTransport({
    pool: true,
    maxConnections,
    maxMessages: Infinity,
    host: u.hostname,
    port: Number(u.port || (u.protocol === "smtps:" ? 465 : 587)),
    secure: u.protocol === "smtps:",
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    ignoreTLS: insecureLocal && u.protocol === "smtp:",
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Signs every message when DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY are set.
    ...(dkim ? { dkim } : {}),
  });
}

/** The domain part of MAIL_FROM, used to build Message-IDs. */
export function mailDomain(from = emailsEnv().MAIL_FROM): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split("@")[1]?.trim() || "inkwell.invalid";
}

/** Sends one message from MAIL_FROM with a caller-chosen, deterministic Message-ID. */
export async function sendMail(mail: OutgoingMail, transport: Transporter = mailer()): Promise<void> {
  await transport.sendMail({
    from: emailsEnv().MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    replyTo: mail.replyTo,
    headers: mail.headers,
    attachments: mail.attachments,
    ...(mail.returnPath ? { envelope: { from: mail.returnPath, to: mail.to } } : {}),
    ...(mail.dsn ? { dsn: mail.dsn } : {}),
  });
}

/** An SMTP refusal that retrying cannot fix (5xx), as opposed to a temporary one (4xx, network). */
export function isPermanentSmtpError(err: unknown): boolean {
  const code = (err as { responseCode?: number } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/** Closes the pooled transport (graceful shutdown). */
export function closeMailer(): void {
  globalForMailer.__inkwellMailer?.close();
  globalForMailer.__inkwellMailer = undefined;
}
