import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MimeNode } from "@zone-eu/mailsplit";
import type { MailEventKind } from "#db/schema";

/** The parts of an inbound message that say what happened to something we sent. */
export interface ReportParts {
  /** The top-level content type, e.g. multipart/report. */
  contentType: string;
  /** report-type of a multipart/report: delivery-status or feedback-report. */
  reportType: string | null;
  /** The message/delivery-status part (RFC 3464), decoded. */
  deliveryStatus: string | null;
  /** The message/feedback-report part (RFC 5965), decoded. */
  feedbackReport: string | null;
  /** Every header block in the message (the returned original's included), for finding our return address. */
  headerBlocks: string[];
}

const REPORT_TYPES = new Set(["message/delivery-status", "message/global-delivery-status", "message/feedback-report"]);
const MAX_PART_BYTES = 256 * 1024;

async function decode(node: MimeNode, chunks: Buffer[]): Promise<string> {
  const decoder = node.getDecoder();
  const out: Buffer[] = [];
  decoder.on("data", (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => { decoder.on("end", resolve); decoder.on("error", reject); });
  decoder.end(Buffer.concat(chunks));
  await done;
  return Buffer.concat(out).toString("utf8");
}

/** Walks a raw message's MIME tree and keeps what a delivery or feedback report carries. */
export async function splitReport(raw: Buffer): Promise<ReportParts> {
  const parts: ReportParts = { contentType: "", reportType: null, deliveryStatus: null, feedbackReport: null, headerBlocks: [] };
  const bodies = new Map<MimeNode, Buffer[]>();
  let root = true;
  // Loaded at the first report: a process that never reads one does not pay for the MIME splitter.
  const { Splitter } = await import("@zone-eu/mailsplit");
  const splitter = new Splitter();
  splitter.on("data", (data) => {
    if (data.type === "node") {
      const node = data;
      const headers = node.getHeaders().toString("utf8");
      if (parts.headerBlocks.length < 20) parts.headerBlocks.push(headers.slice(0, 64 * 1024));
      if (root) {
        root = false;
        parts.contentType = node.contentType || "";
        parts.reportType = /report-type\s*=\s*"?([a-z-]+)"?/i.exec(headers)?.[1]?.toLowerCase() ?? null;
      }
      if (node.contentType && REPORT_TYPES.has(node.contentType)) bodies.set(node, []);
    } else if (data.type === "body") {
      const chunks = bodies.get(data.node);
      if (chunks && chunks.reduce((n, c) => n + c.length, 0) < MAX_PART_BYTES) chunks.push(data.value);
    }
  });
  await pipeline(Readable.from([raw]), splitter, new Writable({ objectMode: true, write: (_c, _e, next) => next() }));
  for (const [node, chunks] of bodies) {
    const text = await decode(node, chunks);
    if (node.contentType === "message/feedback-report") parts.feedbackReport ??= text;
    else parts.deliveryStatus ??= text;
  }
  return parts;
}

/** Header-style fields (RFC 822 syntax, folded lines joined), grouped in blank-line separated blocks. */
export function fieldBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  for (const block of text.replace(/\r\n/g, "\n").split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.replace(/\n[ \t]+/g, " ").split("\n")) {
      const m = /^([A-Za-z0-9-]{1,64})\s*:\s*(.*)$/.exec(line);
      if (m && !fields.has(m[1]!.toLowerCase())) fields.set(m[1]!.toLowerCase(), m[2]!.trim().slice(0, 1000));
    }
    if (fields.size) blocks.push(fields);
  }
  return blocks;
}

export interface DsnRecipient {
  action: string;
  status: string;
  diagnostic: string | null;
}

/** The per-recipient blocks of an RFC 3464 delivery-status part. */
export function parseDeliveryStatus(text: string): DsnRecipient[] {
  return fieldBlocks(text)
    .filter((f) => f.has("action") && (f.has("final-recipient") || f.has("original-recipient")))
    .map((f) => ({
      action: f.get("action")!.toLowerCase(),
      status: /^[245]\.\d{1,3}\.\d{1,3}/.exec(f.get("status") ?? "")?.[0] ?? "",
      diagnostic: f.get("diagnostic-code")?.replace(/^[a-z-]+\s*;\s*/i, "") ?? null,
    }));
}

/** What a DSN recipient block means for us: delivered, bounced for good, bounced for now, or only delayed. */
export function dsnEvent(r: DsnRecipient): MailEventKind | "delayed" | null {
  if (r.action === "delivered" || r.action === "relayed" || r.action === "expanded") return "accepted";
  if (r.action === "delayed") return "delayed";
  if (r.action !== "failed") return null;
  return r.status.startsWith("4") ? "soft_bounce" : "hard_bounce";
}

export interface FeedbackReport {
  feedbackType: string;
  originalMailFrom: string | null;
}

/** The first block of an RFC 5965 feedback report, or null without a Feedback-Type. */
export function parseFeedbackReport(text: string): FeedbackReport | null {
  const f = fieldBlocks(text)[0];
  const type = f?.get("feedback-type")?.toLowerCase();
  if (!f || !type) return null;
  return { feedbackType: type, originalMailFrom: f.get("original-mail-from")?.replace(/[<>]/g, "").trim() ?? null };
}

/** A remote server's reason, without the addresses it often quotes. */
export function scrubReason(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return reason.replace(/[^\s<>()"';,]+@[^\s<>()"';,]+/g, "<address>").replace(/\s+/g, " ").trim().slice(0, 500) || null;
}
