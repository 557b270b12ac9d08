import { parseCsv } from "./csv";
import { DEMO, confirmLink, eventually, type TestPlatform } from "./platform";
import type { CapturedMail } from "./smtp";

export const LETTER_ACTION = "write-to-the-minister";
export const OFFICIALS = { justice: "ministro@minjus-pe.example", pardons: "comision.indultos@minjus-pe.example" } as const;

/** Ids of the demo letter action and of its two officials. */
export async function letterAction(p: TestPlatform) {
  const action = await p.database.db
    .selectFrom("actions").select(["id", "letter_editable"]).where("slug", "=", LETTER_ACTION).executeTakeFirstOrThrow();
  const targets = await p.database.db.selectFrom("targets").select(["id", "email"]).execute();
  const id = (email: string) => targets.find((t) => t.email === email)!.id;
  return { actionId: action.id, justice: id(OFFICIALS.justice), pardons: id(OFFICIALS.pardons) };
}

/** Posts the letter form as a browser without JavaScript would (repeated `targets` fields). */
export async function postLetter(p: TestPlatform, fields: Record<string, string>, targets: number[]) {
  const body = new URLSearchParams(fields);
  for (const t of targets) body.append("targets", String(t));
  return fetch(`${p.url}/campaigns/${DEMO.campaign}/${LETTER_ACTION}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
}

let serial = 0;

/** A supporter writes to `targets`, confirms from the email, and the confirmation is awaited. */
export async function writeAndConfirm(p: TestPlatform, targets: number[], extra: Record<string, string> = {}) {
  serial += 1;
  const email = `writer-${serial}-${process.pid}@example.org`;
  const fields = {
    name: `Writer ${serial}`, email, country: "GB",
    subject: `Letter ${serial}`, body: `Please free the innocent prisoners. (letter ${serial})`, ...extra,
  };
  const res = await postLetter(p, fields, targets);
  if (res.status !== 302) throw new Error(`letter refused: ${res.status} ${(await res.text()).slice(0, 300)}`);
  const mail = await eventually(async () => p.smtp.to(email)[0], 15_000, `confirmation to ${email}`);
  const confirmed = await fetch(confirmLink(mail.text), { method: "POST", redirect: "manual" });
  if (confirmed.status !== 302) throw new Error(`confirm failed: ${confirmed.status}`);
  return { ...fields, email };
}

/** The CSV attachment of a batch email, parsed (header row first). */
export function csvOf(mail: CapturedMail): string[][] {
  const csv = mail.parsed.attachments.find((a) => a.contentType.startsWith("text/csv"));
  if (!csv) throw new Error("no CSV attachment");
  return parseCsv(csv.content.toString("utf8").replace(/^\uFEFF/, ""));
}

/** The PDF attachment of a batch email. */
export function pdfOf(mail: CapturedMail): Buffer {
  const pdf = mail.parsed.attachments.find((a) => a.contentType === "application/pdf");
  if (!pdf) throw new Error("no PDF attachment");
  return pdf.content;
}

/** Pages in a PDF (page objects, not the page tree). */
export function pdfPages(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}
