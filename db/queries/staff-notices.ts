import { sql } from "kysely";
import type { DB, Executor } from "../client";
import type { AlertEmailMode, StaffAlertKind } from "../schema";

export interface Notice {
  id: number;
  campaignId: number;
  kind: StaffAlertKind;
  detail: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

const noticeColumns = ["a.id", "a.campaign_id", "a.kind", "a.detail", "a.created_at", "r.read_at"] as const;
const toNotice = (r: { id: number; campaign_id: number; kind: StaffAlertKind; detail: Record<string, unknown>; created_at: Date; read_at: Date | null }): Notice => ({
  id: r.id, campaignId: r.campaign_id, kind: r.kind, detail: r.detail, createdAt: r.created_at, readAt: r.read_at,
});

/** How many of a campaigner's notices are unread (shown in the workspace navigation). */
export async function unreadNotices(db: Executor, campaignerId: number): Promise<number> {
  const row = await db.selectFrom("staff_alert_recipients").select(sql<number>`count(*)::int`.as("n"))
    .where("campaigner_id", "=", campaignerId).where("read_at", "is", null).executeTakeFirst();
  return row?.n ?? 0;
}

/** A campaigner's notices, newest first, a page at a time (`before` is the last id seen). */
export async function listNotices(db: Executor, campaignerId: number, options: { before?: number; limit?: number } = {}): Promise<Notice[]> {
  let q = db.selectFrom("staff_alert_recipients as r").innerJoin("staff_alerts as a", "a.id", "r.alert_id")
    .select(noticeColumns).where("r.campaigner_id", "=", campaignerId);
  if (options.before !== undefined) q = q.where("a.id", "<", options.before);
  return (await q.orderBy("a.id", "desc").limit(options.limit ?? 50).execute()).map(toNotice);
}

/** Marks one notice (or all of them) read for this campaigner only. Returns how many changed. */
export async function markNoticesRead(db: Executor, campaignerId: number, alertId: number | "all"): Promise<number> {
  let q = db.updateTable("staff_alert_recipients").set({ read_at: sql`now()` })
    .where("campaigner_id", "=", campaignerId).where("read_at", "is", null);
  if (alertId !== "all") q = q.where("alert_id", "=", alertId);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export interface AlertSettings {
  emailMode: AlertEmailMode;
  muted: StaffAlertKind[];
}

/** A campaigner's alert choices (every kind, emailed at once, unless they chose otherwise). */
export async function alertSettings(db: Executor, campaignerId: number): Promise<AlertSettings> {
  const row = await db.selectFrom("campaigner_alert_settings").select(["email_mode", "muted"]).where("campaigner_id", "=", campaignerId).executeTakeFirst();
  return { emailMode: row?.email_mode ?? "immediate", muted: row?.muted ?? [] };
}

/** Saves a campaigner's alert choices; they apply to alerts recorded from now on. */
export async function saveAlertSettings(db: Executor, campaignerId: number, s: AlertSettings): Promise<void> {
  await db.insertInto("campaigner_alert_settings")
    .values({ campaigner_id: campaignerId, email_mode: s.emailMode, muted: sql`${[...new Set(s.muted)]}::text[]` as never })
    .onConflict((oc) => oc.column("campaigner_id").doUpdateSet({ email_mode: s.emailMode, muted: sql`excluded.muted` as never, updated_at: sql`now()` }))
    .execute();
}

/** Alerts with someone still to email at once, recorded more than `graceMs` ago (for the sweeper). */
export async function unsentAlerts(db: Executor, graceMs: number, limit = 500): Promise<number[]> {
  const rows = await db.selectFrom("staff_alert_recipients as r").innerJoin("staff_alerts as a", "a.id", "r.alert_id")
    .select("r.alert_id").distinct()
    .where("r.email", "=", "immediate").where("r.emailed_at", "is", null)
    .where("a.created_at", "<", new Date(Date.now() - graceMs))
    .orderBy("r.alert_id").limit(limit).execute();
  return rows.map((r) => r.alert_id);
}

export interface AlertMail {
  campaignerId: number;
  email: string;
  name: string;
  notice: Notice;
}

/**
 * Takes one unsent recipient of an alert, locking the row until the transaction ends: a second
 * sender skips it, and a sender that dies leaves it to be sent again.
 */
export async function takeUnsentRecipient(trx: Executor, alertId: number, after: number): Promise<AlertMail | undefined> {
  const r = await trx.selectFrom("staff_alert_recipients as r").innerJoin("staff_alerts as a", "a.id", "r.alert_id")
    .innerJoin("campaigners as w", "w.id", "r.campaigner_id")
    .select([...noticeColumns, "w.id as campaigner_id", "w.email", "w.name"])
    .where("r.alert_id", "=", alertId).where("r.campaigner_id", ">", after)
    .where("r.email", "=", "immediate").where("r.emailed_at", "is", null).where("w.disabled_at", "is", null)
    .orderBy("r.campaigner_id").limit(1)
    .forUpdate("r").skipLocked()
    .executeTakeFirst();
  return r && { campaignerId: r.campaigner_id, email: r.email, name: r.name, notice: toNotice(r) };
}

/** Marks an alert emailed to one campaigner. */
export async function markAlertEmailed(trx: Executor, alertId: number, campaignerId: number): Promise<void> {
  await trx.updateTable("staff_alert_recipients").set({ emailed_at: sql`now()` })
    .where("alert_id", "=", alertId).where("campaigner_id", "=", campaignerId).execute();
}

/**
 * Gathers, for each campaigner with digest alerts not yet in a digest, everything waiting into a
 * new digest (one statement each: an alert joins exactly one digest). Returns the digests made.
 */
export async function gatherDigests(db: DB): Promise<number[]> {
  const waiting = await db.selectFrom("staff_alert_recipients").select("campaigner_id").distinct()
    .where("email", "=", "digest").where("digest_id", "is", null).execute();
  const made: number[] = [];
  for (const { campaigner_id } of waiting) {
    const id = await db.transaction().execute(async (trx) => {
      const digest = await trx.insertInto("staff_digests").values({ campaigner_id }).returning("id").executeTakeFirstOrThrow();
      const claimed = await trx.updateTable("staff_alert_recipients").set({ digest_id: digest.id })
        .where("campaigner_id", "=", campaigner_id).where("email", "=", "digest").where("digest_id", "is", null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) > 0) return digest.id;
      await trx.deleteFrom("staff_digests").where("id", "=", digest.id).execute();
      return undefined;
    });
    if (id !== undefined) made.push(id);
  }
  return made;
}

/** Digests not yet sent (a crash or SMTP failure leaves one to send again, unchanged). */
export async function unsentDigests(db: Executor): Promise<number[]> {
  return (await db.selectFrom("staff_digests").select("id").where("sent_at", "is", null).orderBy("id").execute()).map((r) => r.id);
}

/** Locks an unsent digest for sending and returns who gets it and what it holds; undefined if sent or taken. */
export async function takeDigest(trx: Executor, digestId: number) {
  const d = await trx.selectFrom("staff_digests as d").innerJoin("campaigners as w", "w.id", "d.campaigner_id")
    .select(["d.id", "d.created_at", "w.id as campaigner_id", "w.email", "w.name", "w.disabled_at"])
    .where("d.id", "=", digestId).where("d.sent_at", "is", null)
    .forUpdate("d").skipLocked().executeTakeFirst();
  if (!d) return undefined;
  const items = await trx.selectFrom("staff_alert_recipients as r").innerJoin("staff_alerts as a", "a.id", "r.alert_id")
    .select(noticeColumns).where("r.digest_id", "=", digestId).orderBy("a.id").execute();
  return { ...d, notices: items.map(toNotice) };
}

/** Marks a digest sent. */
export async function markDigestSent(trx: Executor, digestId: number): Promise<void> {
  await trx.updateTable("staff_digests").set({ sent_at: sql`now()` }).where("id", "=", digestId).execute();
}
