import { sql } from "kysely";
import type { Executor } from "../client";
import type { RecipientStatus } from "../schema";

// The per-recipient ledger of updates: who is in an update's audience and where their email stands.

export type Claim = "claimed" | "resume" | "done" | "not-due";

/**
 * Claims an update for fan-out: scheduled and due → sending, atomically, so two triggers start it
 * once. An update already sending but not fanned out (a crashed worker) is resumed.
 */
export async function claimUpdate(db: Executor, updateId: number): Promise<Claim> {
  const claimed = await db.updateTable("updates").set({ status: "sending", started_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where("id", "=", updateId).where("status", "=", "scheduled").where("scheduled_for", "<=", sql<Date>`now()`)
    .returning("id").executeTakeFirst();
  if (claimed) return "claimed";
  const row = await db.selectFrom("updates").select(["status", "fanned_out_at"]).where("id", "=", updateId).executeTakeFirst();
  if (row?.status === "sending" && row.fanned_out_at === null) return "resume";
  return row?.status === "sending" || row?.status === "sent" || row?.status === "cancelled" ? "done" : "not-due";
}

// A signature `s` inside the update's audience: of its call to action, of its batch, or any.
const inScope = sql`((select audience_action_id from u) is null or s.action_id = (select audience_action_id from u))
  and ((select audience_delivery_id from u) is null or exists (
    select 1 from delivery_items di where di.delivery_id = (select audience_delivery_id from u) and di.signature_id = s.id))`;

/** One page of the audience as it went into the ledger. */
export interface AudiencePage {
  /** Supporters of the audience in the page (at most the page size: fewer means it was the last). */
  count: number;
  /** The page's last supporter id, where the next page starts (`after` when the page was empty). */
  last: number;
  /** Supporters in (after, last] whose ledger row is queued: this page's new rows and any a crashed run left queued. */
  queued: number[];
}

/**
 * Adds the next page of the audience to the ledger (after supporter `after`, by keyset): confirmed
 * signers of the campaign who opted in to updates, not erased, not unsubscribed, not suppressed,
 * one row per supporter in the language of their latest signature. An update meant for one call to
 * action counts only its signatures; one meant for a batch's writers only the letters in that batch.
 * Rows already there stay as they are. In the same statement it returns what needs a send job:
 * the rows it inserted, and the rows of the page's range that were already queued before it ran
 * (every part of one statement sees the same snapshot, so the two sets never overlap).
 */
export async function addAudiencePage(db: Executor, updateId: number, after: number, pageSize: number): Promise<AudiencePage> {
  const { rows } = await sql<{ n: number; last: number | null; supporter_id: number | null }>`
    with u as (select campaign_id, audience_action_id, audience_delivery_id from updates where id = ${updateId}),
    page as (
      select p.id as supporter_id,
        (select s.language from signatures s join actions a on a.id = s.action_id
         where s.supporter_id = p.id and a.campaign_id = (select campaign_id from u) and s.status = 'confirmed' and s.updates_opt_in
           and ${inScope}
         order by s.id desc limit 1) as language
      from supporters p
      where p.id > ${after} and p.erased_at is null
        -- "… > after" repeats the keyset inside each join by supporter, so its index scan starts there
        -- instead of at the first supporter (else every page would read the unsubscribes of all before it).
        and exists (select 1 from signatures s join actions a on a.id = s.action_id
                    where s.supporter_id = p.id and s.supporter_id > ${after} and a.campaign_id = (select campaign_id from u)
                      and s.status = 'confirmed' and s.updates_opt_in and ${inScope})
        and not exists (select 1 from subscriptions x where x.supporter_id = p.id and x.supporter_id > ${after}
                        and x.campaign_id = (select campaign_id from u) and x.unsubscribed_at is not null)
        and not exists (select 1 from suppressions x where x.supporter_id = p.id and x.supporter_id > ${after})
        and not exists (select 1 from suppressions x where x.email = p.email)
      order by p.id
      limit ${pageSize}
    ),
    ins as (
      insert into update_recipients (update_id, supporter_id, language)
      select ${updateId}, supporter_id, language from page
      on conflict (update_id, supporter_id) do nothing
      returning supporter_id
    ),
    summary as (select count(*)::int as n, max(supporter_id) as last from page)
    select summary.n, summary.last, q.supporter_id
    from summary left join (
      select supporter_id from ins
      union all
      select r.supporter_id from update_recipients r
      where r.update_id = ${updateId} and r.status = 'queued' and r.supporter_id > ${after} and r.supporter_id <= (select last from summary)
    ) q on true
  `.execute(db);
  const head = rows[0];
  return {
    count: head?.n ?? 0,
    last: head?.last ?? after,
    queued: rows.flatMap((r) => (r.supporter_id === null ? [] : [r.supporter_id])),
  };
}

/** Ledger rows still waiting to be sent, in (after, upTo], by keyset (at most `limit`). */
export async function queuedRecipients(db: Executor, updateId: number, after: number, upTo: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom("update_recipients").select("supporter_id")
    .where("update_id", "=", updateId).where("status", "=", "queued")
    .where("supporter_id", ">", after).where("supporter_id", "<=", upTo)
    .orderBy("supporter_id").limit(limit).execute();
  return rows.map((r) => r.supporter_id);
}

/** Records that every recipient is in the ledger, and how many there are. */
export async function finishFanOut(db: Executor, updateId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    update updates set fanned_out_at = coalesce(fanned_out_at, now()), updated_at = now(),
      audience_size = (select count(*) from update_recipients where update_id = ${updateId})
    where id = ${updateId} returning audience_size as n
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/** Marks the update sent once it is fanned out and no recipient is still queued. */
export async function completeIfDone(db: Executor, updateId: number): Promise<boolean> {
  const { numAffectedRows } = await sql`
    update updates set status = 'sent', sent_at = now(), updated_at = now()
    where id = ${updateId} and status = 'sending' and fanned_out_at is not null
      and not exists (select 1 from update_recipients where update_id = ${updateId} and status = 'queued')
  `.execute(db);
  return Number(numAffectedRows ?? 0) > 0;
}

/** Locks one ledger row for sending (a duplicate job waits, then finds it sent). */
export async function lockRecipient(trx: Executor, updateId: number, supporterId: number) {
  return trx.selectFrom("update_recipients as r").innerJoin("updates as u", "u.id", "r.update_id")
    .select(["r.status", "r.language", "u.campaign_id", "u.status as update_status"])
    .where("r.update_id", "=", updateId).where("r.supporter_id", "=", supporterId)
    .forUpdate("r").executeTakeFirst();
}

/** Settles one ledger row: sent, failed (with the reason) or skipped. */
export async function markRecipient(db: Executor, updateId: number, supporterId: number, status: Exclude<RecipientStatus, "queued">, error: string | null = null) {
  await db.updateTable("update_recipients")
    .set({ status, error, sent_at: status === "sent" ? sql<Date>`now()` : null })
    .where("update_id", "=", updateId).where("supporter_id", "=", supporterId).where("status", "=", "queued")
    .execute();
}

/** Scheduled updates that are due, and updates left mid-fan-out by a crashed worker. */
export async function updatesToFanOut(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom("updates").select("id")
    .where((eb) => eb.or([
      eb.and([eb("status", "=", "scheduled"), eb("scheduled_for", "<=", sql<Date>`now()`)]),
      eb.and([eb("status", "=", "sending"), eb("fanned_out_at", "is", null), eb("started_at", "<", sql<Date>`now() - interval '2 minutes'`)]),
    ]))
    .execute();
  return rows.map((r) => r.id);
}

/** Updates fanned out and still sending that have recipients queued in the ledger. */
export async function updatesWithQueuedRecipients(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom("updates as u").select("u.id")
    .where("u.status", "=", "sending").where("u.fanned_out_at", "is not", null)
    .where((eb) => eb.exists(eb.selectFrom("update_recipients as r").select("r.update_id").whereRef("r.update_id", "=", "u.id").where("r.status", "=", "queued")))
    .execute();
  return rows.map((r) => r.id);
}
