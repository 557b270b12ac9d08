import { promises as fs } from "node:fs";
import path from "node:path";
import { env as emailsEnv } from "#core/env";

export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  date: string;
  html: string;
  links: string[];
}

/** The newest messages the demo sink has received, newest first. */
export async function readMailbox(limit = 30): Promise<MailboxMessage[]> {
  const dir = emailsEnv().MAILBOX_DIR;
  const files = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".eml")).sort().reverse().slice(0, limit);
  // The parser is loaded by the demo mailbox only, not by every web process at start-up.
  const { simpleParser } = await import("mailparser");
  return Promise.all(
    files.map(async (file) => {
      const parsed = await simpleParser(await fs.readFile(path.join(dir, file)));
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
      const links = [...new Set((parsed.text ?? "").match(/https?:\/\/[^\s<>"\])]+/g) ?? [])];
      return {
        id: file.replace(/\.eml$/, ""),
        to,
        subject: parsed.subject ?? "",
        date: (parsed.date ?? new Date()).toISOString(),
        html: typeof parsed.html === "string" ? parsed.html : "",
        links,
      };
    }),
  );
}
