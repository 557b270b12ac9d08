import type { Executor } from "../client";

export interface AuditEntry {
  campaignerId: number | null;
  campaignId?: number | null;
  /** What was done, as a verb phrase: "campaign.update", "signatures.invalidate". */
  action: string;
  subjectType: string;
  subjectId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Records one campaigner change; call it inside the transaction that makes the change. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      campaigner_id: entry.campaignerId,
      campaign_id: entry.campaignId ?? null,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId == null ? null : String(entry.subjectId),
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** A page of the audit log, newest first, optionally for one campaign; `before` is the last id seen. */
export async function listAudit(db: Executor, options: { campaignId?: number; before?: number; limit?: number } = {}) {
  let q = db
    .selectFrom("audit_log as a")
    .leftJoin("campaigners as c", "c.id", "a.campaigner_id")
    .select(["a.id", "a.action", "a.subject_type", "a.subject_id", "a.details", "a.created_at", "a.campaign_id", "c.name as campaigner_name", "c.email as campaigner_email"])
    .orderBy("a.id", "desc")
    .limit(options.limit ?? 50);
  if (options.campaignId !== undefined) q = q.where("a.campaign_id", "=", options.campaignId);
  if (options.before !== undefined) q = q.where("a.id", "<", options.before);
  return q.execute();
}
