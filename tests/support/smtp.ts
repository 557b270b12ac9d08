import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  parsed: ParsedMail;
  raw: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  /** The envelope sender (MAIL FROM). */
  mailFrom: string;
}

export interface SmtpCapture {
  url: string;
  port: number;
  messages: CapturedMail[];
  /** Make the next deliveries fail with this SMTP reply code (e.g. 451 or 550); null to accept again. */
  failWith(code: number | null): void;
  /**
   * Decide per message: `attempt` counts every DATA received (from 1), `recipients` are its
   * envelope addresses; return a reply code to refuse it.
   */
  failWhen(decide: ((attempt: number, recipients: string[]) => number | null) | null): void;
  /** Never answer the messages `hold` picks (the sender waits, as on a stuck connection). */
  holdWhen(hold: ((attempt: number) => boolean) | null): void;
  /** How many messages were offered, accepted or not. */
  attempts(): number;
  /** Resolves once at least `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  /** Messages addressed to one recipient. */
  to(address: string): CapturedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on loopback that keeps every message it accepts, parsed with mailparser. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  let failCode: number | null = null;
  let decide: ((attempt: number, recipients: string[]) => number | null) | null = null;
  let attempts = 0;
  let hold: ((attempt: number) => boolean) | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        attempts += 1;
        if (hold?.(attempts)) return;
        const code = failCode ?? decide?.(attempts, session.envelope.rcptTo.map((r) => r.address.toLowerCase())) ?? null;
        if (code !== null) {
          const err = Object.assign(new Error(`Refused for the test (${code})`), { responseCode: code });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = await simpleParser(raw);
        const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
        messages.push({
          parsed, raw, to, subject: parsed.subject ?? "", messageId: parsed.messageId ?? "",
          text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "",
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        });
        callback();
      });
    },
  });
  // A worker killed mid-send (the crash tests do it on purpose) resets its connection: smtp-server
  // reports that as an "error" event, which must not become an uncaught exception of the test run.
  server.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "ECONNRESET" && err.code !== "EPIPE") console.error("test SMTP server:", err.message);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    failWith(code) {
      failCode = code;
    },
    failWhen(fn) {
      decide = fn;
    },
    attempts: () => attempts,
    holdWhen(fn) {
      hold = fn;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
    to(address) {
      return messages.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
