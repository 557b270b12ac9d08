import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import type { DB } from "#db/client";
import { parkInbound } from "#db/queries/mail-events";
import { parseInboundAddress } from "#emails/return-path";
import { log } from "#core/logger";
import { takeInbound, type IntakeOutcome } from "./intake";

export interface InboundListenerOptions {
  port: number;
  host: string;
  maxBytes: number;
  /** Called after each message is taken (tests wait on it). */
  onTaken?: (outcome: IntakeOutcome) => void;
}

const MAX_RECIPIENTS = 10;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** How long a shutdown waits for open SMTP sessions before telling them 421 and closing them. */
export const SESSION_CLOSE_MS = 5_000;

/**
 * The inbound SMTP listener for bounces, complaint reports and officials' replies. It accepts
 * mail only for our own return and reply addresses (verified at RCPT), refuses anything over the
 * size limit, and never lets a bad message stop it: unusable ones are parked with a reason.
 */
export async function startInboundSmtp(db: DB, o: InboundListenerOptions): Promise<SMTPServer> {
  const server = new SMTPServer({
    name: "inkwell-inbound",
    banner: "Inkwell inbound mail",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: o.maxBytes,
    maxClients: 50,
    socketTimeout: 60_000,
    // A session still open at shutdown is sent 421 (the sender retries later) well inside the
    // process's 30 s shutdown limit, instead of holding it for smtp-server's default 30 s.
    closeTimeout: SESSION_CLOSE_MS,
    logger: false,
    onRcptTo(address: SMTPServerAddress, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, "Too many recipients"));
      if (!parseInboundAddress(address.address)) return callback(smtpError(550, "No such mailbox here"));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= o.maxBytes) chunks.push(c);
      });
      stream.on("error", () => {});
      stream.on("end", () => {
        if (stream.sizeExceeded || size > o.maxBytes) {
          callback(smtpError(552, "Message exceeds the size limit"));
          return;
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        takeInbound(db, { recipients, raw: Buffer.concat(chunks) }).then(
          (outcome) => {
            callback();
            o.onTaken?.(outcome);
          },
          async (err: Error) => {
            // The database is away or something unforeseen: ask the sender to try again later.
            log.error("inbound message not taken", { err: err.message });
            await parkInbound(db, { source: "smtp", reason: "internal error, sender asked to retry", size }).catch(() => {});
            callback(smtpError(451, "Temporary failure, try again later"));
          },
        );
      });
    },
  });
  server.on("error", (err) => log.error("inbound SMTP error", { err: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  log.info("inbound SMTP listening", { port: (server.server.address() as { port: number }).port });
  return server;
}
