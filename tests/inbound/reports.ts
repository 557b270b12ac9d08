import nodemailer from "nodemailer";

/** A delivery status notification (RFC 3464) as a receiving MTA writes it, returning `original`'s headers. */
export function dsn(o: { to: string; action: string; status: string; diagnostic: string; recipient: string; originalHeaders: string }): string {
  return [
    "From: Mail Delivery Subsystem <mailer-daemon@mx1.minjus-pe.example>",
    `To: <${o.to}>`,
    "Subject: Delivery Status Notification (Failure)",
    "Date: Wed, 02 Dec 2026 09:12:44 +0000",
    "Message-ID: <dsn-20261202091244.77@mx1.minjus-pe.example>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="=_dsn_7f3a"',
    "",
    "This is a MIME-encapsulated message.",
    "",
    "--=_dsn_7f3a",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "Your message could not be delivered to one or more recipients.",
    "",
    "--=_dsn_7f3a",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx1.minjus-pe.example",
    "Arrival-Date: Wed, 02 Dec 2026 09:12:40 +0000",
    "",
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Action: ${o.action}`,
    `Status: ${o.status}`,
    "Remote-MTA: dns; store.minjus-pe.example",
    `Diagnostic-Code: smtp; ${o.diagnostic}`,
    "",
    "--=_dsn_7f3a",
    "Content-Type: text/rfc822-headers",
    "",
    o.originalHeaders,
    "",
    "--=_dsn_7f3a--",
    "",
  ].join("\r\n");
}

/** A complaint report (RFC 5965 ARF) as a mailbox provider's feedback loop sends it. */
export function arf(o: { to: string; originalMailFrom: string | null; originalHeaders: string; feedbackType?: string }): string {
  return [
    "From: Feedback Loop <fbl@mailbox-provider.example>",
    `To: <${o.to}>`,
    "Subject: Abuse report",
    "Date: Wed, 02 Dec 2026 10:01:02 +0000",
    "Message-ID: <arf-1001@mailbox-provider.example>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=feedback-report; boundary="arf_b0undary"',
    "",
    "--arf_b0undary",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "A user of our service marked this message as spam.",
    "",
    "--arf_b0undary",
    "Content-Type: message/feedback-report",
    "",
    `Feedback-Type: ${o.feedbackType ?? "abuse"}`,
    "User-Agent: ProviderFBL/2.1",
    "Version: 1",
    ...(o.originalMailFrom ? [`Original-Mail-From: <${o.originalMailFrom}>`] : []),
    "Arrival-Date: Wed, 02 Dec 2026 09:58:00 +0000",
    "Reported-Domain: inkwell.test",
    "",
    "--arf_b0undary",
    "Content-Type: text/rfc822-headers",
    "",
    o.originalHeaders,
    "",
    "--arf_b0undary--",
    "",
  ].join("\r\n");
}

/** The header block of a captured message, as a returned report quotes it. */
export function headersOf(raw: string): string {
  return raw.split(/\r?\n\r?\n/)[0]!;
}

/** Offers a raw message to an SMTP server on loopback, from `from` to `to`; resolves with the reply or rejects with the refusal. */
export async function offer(port: number, to: string, raw: string, from = "mailer-daemon@mx1.minjus-pe.example") {
  const t = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    return await t.sendMail({ envelope: { from, to }, raw });
  } finally {
    t.close();
  }
}
