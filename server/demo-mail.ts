import { promises as fs } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { SESSION_CLOSE_MS } from "#jobs/inbound/smtp-listener";

/**
 * The embedded SMTP sink of demo mode: accepts every message on loopback and keeps it as an
 * .eml file in `dir`, where the /dev/mailbox page reads it.
 */
export async function startMailSink(port: number, dir: string): Promise<SMTPServer> {
  await fs.mkdir(dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    banner: "Inkwell demo mail sink",
    size: 25 * 1024 * 1024,
    closeTimeout: SESSION_CLOSE_MS,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const file = path.join(dir, `${Date.now()}-${process.pid}-${n++}.eml`);
        fs.writeFile(file, Buffer.concat(chunks)).then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  server.on("error", (err) => console.error(JSON.stringify({ level: "error", msg: "mail sink error", err: err.message })));
  return server;
}
