import type { DB } from "#db/client";
import { parkInbound } from "#db/queries/mail-events";
import {
  dsnEvent, parseDeliveryStatus, parseFeedbackReport, scrubReason, splitReport, type ReportParts,
} from "#emails/inbound/report";
import { findBounceAddresses, parseInboundAddress, type InboundAddress } from "#emails/return-path";
import { log } from "#core/logger";
import { applyReport, type MatchedReport } from "#services/mail-events";
import { storeReply } from "./replies";

export interface InboundMessage {
  /** The envelope recipients, each already accepted as one of our addresses. */
  recipients: string[];
  raw: Buffer;
}

export type IntakeOutcome =
  | { outcome: "applied"; event: string }
  | { outcome: "reply"; replyId: number | null }
  | { outcome: "ignored"; reason: string }
  | { outcome: "parked"; reason: string };

type Bounce = Extract<InboundAddress, { type: "bounce" }>;

function reportOf(parts: ReportParts): Omit<MatchedReport, "kind" | "ref" | "source"> | { ignore: string } | { park: string } {
  if (parts.deliveryStatus !== null) {
    const recipients = parseDeliveryStatus(parts.deliveryStatus);
    const r = recipients[0];
    if (!r) return { park: "delivery status report without a recipient block" };
    const event = dsnEvent(r);
    if (event === "delayed") return { ignore: "delayed: the remote server is still trying" };
    if (event === null) return { park: `delivery status action "${r.action.slice(0, 40)}" is not one we use` };
    return { event, statusCode: r.status || null, reason: scrubReason(r.diagnostic) };
  }
  if (parts.feedbackReport !== null) {
    const fb = parseFeedbackReport(parts.feedbackReport);
    if (!fb) return { park: "feedback report without a Feedback-Type" };
    if (fb.feedbackType === "not-spam") return { ignore: "feedback report says not spam" };
    return { event: "complaint", statusCode: null, reason: `complaint (${fb.feedbackType.slice(0, 40)})` };
  }
  return { park: "neither a delivery status nor a feedback report" };
}

/** What the report is about: the verified return address it came back to, or one named inside it. */
function subjectOf(addresses: InboundAddress[], parts: ReportParts): Bounce | undefined {
  const direct = addresses.find((a): a is Bounce => a.type === "bounce");
  if (direct) return direct;
  const fb = parts.feedbackReport !== null ? parseFeedbackReport(parts.feedbackReport) : null;
  const fromReport = fb?.originalMailFrom ? parseInboundAddress(fb.originalMailFrom) : null;
  if (fromReport?.type === "bounce") return fromReport;
  const named = findBounceAddresses(parts.headerBlocks.join("\n"));
  return named.length === 1 ? named[0] : undefined;
}

/**
 * Takes one inbound message: a reply to a batch is stored; a delivery status notification or a
 * complaint report is matched to what we sent and applied. Anything unusable is parked with its
 * reason; nothing here throws for bad input.
 */
export async function takeInbound(db: DB, msg: InboundMessage, source: "smtp" = "smtp"): Promise<IntakeOutcome> {
  const addresses = msg.recipients.map((r) => parseInboundAddress(r)).filter((a): a is InboundAddress => a !== null);
  const park = async (reason: string): Promise<IntakeOutcome> => {
    await parkInbound(db, { source, reason, recipient: msg.recipients[0] ?? null, size: msg.raw.length });
    log.info("inbound message parked", { reason });
    return { outcome: "parked", reason };
  };
  const reply = addresses.find((a) => a.type === "reply");
  if (reply) {
    try {
      const stored = await storeReply(db, reply.deliveryId, msg.raw);
      if ("parked" in stored) return park(stored.parked);
      return { outcome: "reply", replyId: "stored" in stored ? stored.stored : null };
    } catch (err) {
      return park(`unreadable reply: ${(err as Error).message.slice(0, 120)}`);
    }
  }
  let parts: ReportParts;
  try {
    parts = await splitReport(msg.raw);
  } catch (err) {
    return park(`unreadable message: ${(err as Error).message.slice(0, 120)}`);
  }
  const report = reportOf(parts);
  if ("park" in report) return park(report.park);
  if ("ignore" in report) return { outcome: "ignored", reason: report.ignore };
  const subject = subjectOf(addresses, parts);
  if (!subject) return park("names no message of ours (no valid return address)");
  const applied = await applyReport(db, { ...report, source, kind: subject.kind, ref: subject.ref });
  if (!applied.applied) return park(applied.reason);
  log.info("mail report applied", { kind: subject.kind, ref: subject.ref, event: report.event });
  return { outcome: "applied", event: report.event };
}
