import { createHash } from "node:crypto";
import type { DB } from "#db/client";
import { recordReplyAlert } from "#db/queries/staff-alerts";
import { env as inboundEnv } from "#core/env";
import { sendStaffAlertJob } from "../definitions";
import { log } from "#core/logger";
import { enqueue } from "../queues";

const MAX_TEXT = 100_000;
const MAX_ATTACHMENTS = 20;

/** The type an attachment really has, from its bytes: the sender's label is not trusted. */
export async function sniffType(content: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await import("file-type"); // loaded at the first attachment, not at every worker's start
  const found = await fileTypeFromBuffer(content);
  if (found) return found.mime;
  const head = content.subarray(0, 8192);
  return head.includes(0) ? "application/octet-stream" : "text/plain";
}

export type ReplyOutcome = { stored: number } | { duplicate: true } | { parked: string };

/**
 * Keeps an official's reply to a batch: its text (the HTML part is never kept as such), who sent
 * it, and its attachments under the size cap, typed by their content. The same message twice is
 * stored once. The campaign's owners are alerted.
 */
export async function storeReply(db: DB, deliveryId: number, raw: Buffer): Promise<ReplyOutcome> {
  const batch = await db
    .selectFrom("deliveries as d")
    .innerJoin("actions as a", "a.id", "d.action_id")
    .select(["d.id", "d.target_id", "a.campaign_id"])
    .where("d.id", "=", deliveryId)
    .executeTakeFirst();
  if (!batch) return { parked: `reply to batch ${deliveryId}, which does not exist` };
  // Loaded at the first reply: a process that never reads one does not pay for the parser at start-up.
  const { simpleParser } = await import("mailparser");
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  const from = parsed.from?.value[0]?.address?.toLowerCase() ?? "";
  const messageId = (parsed.messageId ?? `<sha256.${createHash("sha256").update(raw).digest("hex")}>`).slice(0, 300);
  const body = (parsed.text ?? "").slice(0, MAX_TEXT);
  const cap = inboundEnv().REPLY_ATTACHMENT_MAX_BYTES;
  const kept: { filename: string; content_type: string; size: number; content: Buffer }[] = [];
  for (const a of parsed.attachments.slice(0, MAX_ATTACHMENTS)) {
    if (a.related || a.size > cap || a.content.length > cap) continue;
    const filename = (a.filename ?? "attachment").replace(/[\\/\r\n\0"]/g, "_").slice(0, 200);
    kept.push({ filename, content_type: await sniffType(a.content), size: a.content.length, content: a.content });
  }
  const skipped = parsed.attachments.length - kept.length;
  const stored = await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto("official_replies").values({
      delivery_id: batch.id, target_id: batch.target_id, campaign_id: batch.campaign_id, message_id: messageId,
      from_address: from.slice(0, 300), subject: (parsed.subject ?? "").slice(0, 500),
      body_text: skipped > 0 ? `${body}\n\n[${skipped} attachment(s) over the size limit or embedded images were not kept]` : body,
    }).onConflict((oc) => oc.columns(["delivery_id", "message_id"]).doNothing()).returning("id").executeTakeFirst();
    if (!row) return undefined;
    for (const a of kept) await trx.insertInto("reply_attachments").values({ reply_id: row.id, ...a }).execute();
    return { id: row.id, alertId: await recordReplyAlert(trx, row.id, batch.id) };
  });
  if (stored === undefined) return { duplicate: true };
  const { id, alertId } = stored;
  log.info("official replied", { deliveryId, replyId: id, attachments: kept.length });
  if (alertId !== undefined) await enqueue(sendStaffAlertJob, { alertId }).catch((err: Error) => log.warn("reply alert not queued", { replyId: id, err: err.message }));
  return { stored: id };
}
