import { sql } from "kysely";
import type { Executor } from "../client";

/** A campaign's replies from officials, newest first, for the reply inbox. */
export async function listReplies(db: Executor, campaignId: number) {
  return db
    .selectFrom("official_replies as r")
    .innerJoin("targets as t", "t.id", "r.target_id")
    .innerJoin("deliveries as d", "d.id", "r.delivery_id")
    .select(["r.id", "r.subject", "r.from_address", "r.received_at", "r.published_at", "r.update_id", "t.name as official", "d.seq"])
    .where("r.campaign_id", "=", campaignId)
    .orderBy("r.received_at", "desc")
    .limit(500)
    .execute();
}

/** One reply of a campaign with its attachments' names, types and sizes (not their bytes). */
export async function getReply(db: Executor, campaignId: number, replyId: number) {
  const reply = await db
    .selectFrom("official_replies as r")
    .innerJoin("targets as t", "t.id", "r.target_id")
    .innerJoin("deliveries as d", "d.id", "r.delivery_id")
    .select(["r.id", "r.delivery_id", "r.subject", "r.from_address", "r.body_text", "r.received_at", "r.published_at", "r.published_text", "r.update_id",
      "t.name as official", "t.title as official_title", "t.email as official_email", "d.seq"])
    .where("r.campaign_id", "=", campaignId)
    .where("r.id", "=", replyId)
    .executeTakeFirst();
  if (!reply) return undefined;
  const attachments = await db.selectFrom("reply_attachments").select(["id", "filename", "content_type", "size"])
    .where("reply_id", "=", replyId).orderBy("id").execute();
  return { ...reply, attachments };
}

/** One attachment of a campaign's reply, with its bytes. */
export async function getReplyAttachment(db: Executor, campaignId: number, replyId: number, attachmentId: number) {
  return db.selectFrom("reply_attachments as a")
    .innerJoin("official_replies as r", "r.id", "a.reply_id")
    .select(["a.filename", "a.content_type", "a.content"])
    .where("r.campaign_id", "=", campaignId).where("r.id", "=", replyId).where("a.id", "=", attachmentId)
    .executeTakeFirst();
}

/** Marks a reply published with its public text, once: false when it already was. */
export async function markReplyPublished(db: Executor, replyId: number, text: string, campaignerId: number, updateId: number): Promise<boolean> {
  const row = await db.updateTable("official_replies")
    .set({ published_at: sql`now()`, published_text: text, published_by: campaignerId, update_id: updateId })
    .where("id", "=", replyId).where("published_at", "is", null)
    .returning("id").executeTakeFirst();
  return row !== undefined;
}

/** Replies published on a campaign's public page, newest first (official, date, published text). */
export async function publishedReplies(db: Executor, campaignId: number) {
  return db.selectFrom("official_replies as r").innerJoin("targets as t", "t.id", "r.target_id")
    .select(["r.id", "r.received_at", "r.published_at", "r.published_text", "t.name as official", "t.title as official_title"])
    .where("r.campaign_id", "=", campaignId).where("r.published_at", "is not", null)
    .orderBy("r.published_at", "desc").limit(50).execute();
}
