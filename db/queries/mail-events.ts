import { sql } from "kysely";
import type { Executor } from "../client";
import { suppressionHash } from "#core/keys";
import type { MailEventKind, SuppressionReason } from "../schema";

export interface NewMailEvent {
  source: "smtp" | "mailgun";
  event: MailEventKind;
  subjectKind: string;
  subjectRef: string;
  deliveryId?: number | null;
  supporterId?: number | null;
  statusCode?: string | null;
  remoteReason?: string | null;
}

/** Records one matched report. */
export async function insertMailEvent(db: Executor, e: NewMailEvent): Promise<void> {
  await db.insertInto("mail_events").values({
    source: e.source, event: e.event, subject_kind: e.subjectKind, subject_ref: e.subjectRef,
    delivery_id: e.deliveryId ?? null, supporter_id: e.supporterId ?? null,
    status_code: e.statusCode ?? null, remote_reason: e.remoteReason ?? null,
  }).execute();
}

/** Keeps an unusable report's envelope facts and the reason it was set aside (never its content). */
export async function parkInbound(
  db: Executor, p: { source: string; reason: string; recipient?: string | null; messageId?: string | null; size?: number | null },
): Promise<void> {
  await db.insertInto("inbound_parked").values({
    source: p.source, reason: p.reason.slice(0, 300), recipient: p.recipient?.slice(0, 300) ?? null,
    message_id: p.messageId?.slice(0, 300) ?? null, size: p.size ?? null,
  }).execute();
}

/** The supporter a return reference names, or undefined when it names nothing we sent. */
export async function supporterForReturn(db: Executor, kind: string, ref: string): Promise<number | undefined> {
  const nums = ref.split("-").map(Number);
  if (nums.some((n) => !Number.isSafeInteger(n) || n <= 0)) return undefined;
  if (kind === "confirmation" && nums.length === 1) {
    return (await db.selectFrom("signatures").select("supporter_id").where("id", "=", nums[0]!).executeTakeFirst())?.supporter_id;
  }
  if (kind === "update" && nums.length === 2) {
    const row = await db.selectFrom("update_recipients").select("supporter_id")
      .where("update_id", "=", nums[0]!).where("supporter_id", "=", nums[1]!).executeTakeFirst();
    return row?.supporter_id;
  }
  if (kind === "notice" && nums.length === 2) {
    return (await db.selectFrom("supporters").select("id").where("id", "=", nums[0]!).executeTakeFirst())?.id;
  }
  if (kind === "privacy" && nums.length === 1) {
    return (await db.selectFrom("privacy_requests").select("supporter_id").where("id", "=", nums[0]!).executeTakeFirst())?.supporter_id;
  }
  return undefined;
}

/** Never mail this supporter's address again: by supporter and by address (hard bounce, complaint). */
export async function suppressSupporter(db: Executor, supporterId: number, reason: SuppressionReason, detail: string): Promise<void> {
  const who = await db.selectFrom("supporters").select(["email", "erased_at"]).where("id", "=", supporterId).executeTakeFirst();
  if (!who) return;
  await db.insertInto("suppressions").values({ supporter_id: supporterId, reason, detail }).onConflict((oc) => oc.doNothing()).execute();
  if (!who.erased_at) {
    await db.insertInto("suppressions").values({ email: who.email.toLowerCase(), reason, detail }).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** Soft bounces recorded for a supporter in the last 30 days. */
export async function recentSoftBounces(db: Executor, supporterId: number): Promise<number> {
  const row = await db.selectFrom("mail_events").select(sql<number>`count(*)::int`.as("n"))
    .where("supporter_id", "=", supporterId).where("event", "=", "soft_bounce")
    .where("created_at", ">", sql<Date>`now() - interval '30 days'`).executeTakeFirstOrThrow();
  return row.n;
}

/**
 * On erasure, a suppression of the supporter's address is kept only as a keyed hash of it, so the
 * address stays unmailed without being stored.
 */
export async function hashSuppressedAddress(db: Executor, email: string, secret?: string): Promise<void> {
  const address = email.toLowerCase();
  const hash = suppressionHash(address, secret);
  const rows = await db.selectFrom("suppressions").select(["id", "reason"]).where("email", "=", address).execute();
  for (const r of rows) {
    const kept = await db.selectFrom("suppressions").select("id").where("email_hash", "=", hash).where("reason", "=", r.reason).executeTakeFirst();
    if (kept) await db.deleteFrom("suppressions").where("id", "=", r.id).execute();
    else await db.updateTable("suppressions").set({ email: null, email_hash: hash, detail: null }).where("id", "=", r.id).execute();
  }
}

/** Whether an address is suppressed by its keyed hash (it outlived an erasure). */
export async function isHashSuppressed(db: Executor, email: string, secret?: string): Promise<boolean> {
  const row = await db.selectFrom("suppressions").select("id").where("email_hash", "=", suppressionHash(email, secret)).executeTakeFirst();
  return row !== undefined;
}
