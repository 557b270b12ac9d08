import { sql } from "kysely";
import type { DB, Executor } from "../client";
import { recordBatchAlert } from "./staff-alerts";
import { letterValues, renderTemplate } from "#core/letter-templates";
import type { ActionKind, Delivery, DeliveryPart } from "../schema";

export interface AssembleOptions {
  actionId: number;
  targetId: number;
  trigger: string;
  /** Largest size one email of the batch may reach, attachments included. */
  maxBytes: number;
  /** Domain of the Message-IDs (the sender's). */
  messageIdDomain: string;
}

// Conservative size of one item in the email: its text twice (CSV and PDF), base64-encoded,
// plus the PDF's own per-page cost. Parts are cut on these estimates, before anything is sent.
const LETTER_BYTES = sql<number>`((octet_length(l.subject) + octet_length(l.body) + octet_length(s.name) + 96) * 2 * 1.37 + 2500)::int8`;
const SIGNER_BYTES = sql<number>`((octet_length(s.name) + coalesce(octet_length(s.comment), 0) + 64) * 2 * 1.37 + 160)::int8`;
const HEADROOM_BYTES = 600_000; // the email body, the embedded font subsets, MIME headers

/**
 * Assigns every confirmed, not yet delivered item of an action for one official to a new batch,
 * in one transaction, and cuts it into parts under the size limit. The ledger's primary key makes
 * each (signature, official) pair belong to exactly one batch. Returns the batch id, or null when
 * nothing new waits. While an unsent batch exists for the pair, that batch is returned instead.
 */
export async function assembleBatch(db: DB, o: AssembleOptions): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${o.actionId}::int4, ${o.targetId}::int4)`.execute(trx);
    const unsent = await trx
      .selectFrom("deliveries")
      .select("id")
      .where("action_id", "=", o.actionId)
      .where("target_id", "=", o.targetId)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (unsent) return unsent.id;

    const action = await trx.selectFrom("actions").select("kind").where("id", "=", o.actionId).executeTakeFirstOrThrow();
    const delivery = await trx
      .insertInto("deliveries")
      .values((eb) => ({
        action_id: o.actionId,
        target_id: o.targetId,
        trigger: o.trigger,
        seq: eb
          .selectFrom("deliveries")
          .select(sql<number>`coalesce(max(seq), 0) + 1`.as("next"))
          .where("action_id", "=", o.actionId)
          .where("target_id", "=", o.targetId),
      }))
      .returning("id")
      .executeTakeFirstOrThrow();

    const assigned = await sql<{ n: number }>`
      with picked as (
        insert into delivery_items (signature_id, target_id, delivery_id)
        select s.id, ${o.targetId}, ${delivery.id}
        from signatures s
        where s.action_id = ${o.actionId} and s.status = 'confirmed' and s.held_at is null
          and (${action.kind} = 'petition'
               or exists (select 1 from letter_recipients r where r.signature_id = s.id and r.target_id = ${o.targetId}))
        on conflict (signature_id, target_id) do nothing
        returning 1
      ) select count(*)::int8 as n from picked
    `.execute(trx);
    const items = Number(assigned.rows[0]?.n ?? 0);
    if (items === 0) {
      await trx.deleteFrom("deliveries").where("id", "=", delivery.id).execute();
      return null;
    }

    const budget = Math.max(o.maxBytes - HEADROOM_BYTES, 50_000);
    const bytes = action.kind === "letter" ? LETTER_BYTES : SIGNER_BYTES;
    await sql`
      insert into delivery_parts (delivery_id, part, first_signature_id, last_signature_id, items, message_id)
      select ${delivery.id}, part, min(signature_id), max(signature_id), count(*),
             '<delivery.' || ${delivery.id} || '.' || part || '@' || ${o.messageIdDomain} || '>'
      from (
        select d.signature_id, floor(sum(${bytes}) over (order by d.signature_id) / ${budget})::int + 1 as part
        from delivery_items d
        join signatures s on s.id = d.signature_id
        left join letters l on l.signature_id = d.signature_id
        where d.delivery_id = ${delivery.id}
      ) sized
      group by part
    `.execute(trx);
    // Parts numbered by size steps may skip a number when one item is larger than a step: renumber.
    await sql`
      update delivery_parts p set part = r.n
      from (select part, row_number() over (order by part) as n from delivery_parts where delivery_id = ${delivery.id}) r
      where p.delivery_id = ${delivery.id} and p.part = r.part and p.part <> r.n
    `.execute(trx);
    const parts = await trx.selectFrom("delivery_parts").select(sql<number>`count(*)::int`.as("n")).where("delivery_id", "=", delivery.id).executeTakeFirstOrThrow();
    const toDate = await trx
      .selectFrom("delivery_items as i")
      .innerJoin("deliveries as d", "d.id", "i.delivery_id")
      .select(sql<number>`count(*)::int8`.as("n"))
      .where("d.action_id", "=", o.actionId)
      .where("i.target_id", "=", o.targetId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("deliveries")
      .set({ items, items_to_date: Number(toDate.n), parts: parts.n })
      .where("id", "=", delivery.id)
      .execute();
    return delivery.id;
  });
}

export interface DeliveryContext {
  delivery: Delivery;
  parts: DeliveryPart[];
  kind: ActionKind;
  language: string;
  campaignTitle: string;
  campaignSlug: string;
  replyTo: string | null;
  actionTitle: string;
  ask: string;
  target: { id: number; name: string; title: string; organisation: string; postalAddress: string; email: string | null; language: string; gender: string | null };
}

/** Everything a batch email needs except its rows, in the official's language where it exists. */
export async function deliveryContext(db: Executor, deliveryId: number): Promise<DeliveryContext | undefined> {
  const delivery = await db.selectFrom("deliveries").selectAll().where("id", "=", deliveryId).executeTakeFirst();
  if (!delivery) return undefined;
  const [parts, target, action] = await Promise.all([
    db.selectFrom("delivery_parts").selectAll().where("delivery_id", "=", deliveryId).orderBy("part").execute(),
    db.selectFrom("targets").selectAll().where("id", "=", delivery.target_id).executeTakeFirstOrThrow(),
    db
      .selectFrom("actions as a")
      .innerJoin("campaigns as c", "c.id", "a.campaign_id")
      .select(["a.kind", "c.id as campaign_id", "c.slug", "c.reply_to", "c.default_language"])
      .where("a.id", "=", delivery.action_id)
      .executeTakeFirstOrThrow(),
  ]);
  const [campaignTr, actionTr] = await Promise.all([
    db.selectFrom("campaign_translations").select(["language", "title"]).where("campaign_id", "=", action.campaign_id).execute(),
    db.selectFrom("action_translations").select(["language", "title", "ask"]).where("action_id", "=", delivery.action_id).execute(),
  ]);
  const pick = <T extends { language: string }>(rows: T[]) =>
    rows.find((r) => r.language === target.language) ?? rows.find((r) => r.language === action.default_language) ?? rows[0];
  const at = pick(actionTr);
  return {
    delivery,
    parts,
    kind: action.kind,
    language: at?.language ?? action.default_language,
    campaignTitle: pick(campaignTr)?.title ?? action.slug,
    campaignSlug: action.slug,
    replyTo: action.reply_to,
    actionTitle: at?.title ?? "",
    ask: at?.ask ?? "",
    target: {
      id: target.id, name: target.name, title: target.title, organisation: target.organisation,
      postalAddress: target.postal_address, email: target.email, language: target.language, gender: target.gender,
    },
  };
}

export interface BatchLetter {
  name: string;
  country: string;
  signedAt: Date;
  subject: string;
  body: string;
  comment: string | null;
}

/**
 * Streams one part of a batch in signature order, rendered for its official. Only signatures
 * still confirmed go out: an invalidated one never reaches an official.
 */
export async function* streamBatchItems(
  db: DB,
  ctx: DeliveryContext,
  part: { first_signature_id: number; last_signature_id: number },
  limit?: number,
): AsyncGenerator<BatchLetter> {
  let query = db
    .selectFrom("delivery_items as i")
    .innerJoin("signatures as s", "s.id", "i.signature_id")
    .leftJoin("letters as l", "l.signature_id", "i.signature_id")
    .select(["s.name", "s.country", "s.postal_code", "s.comment", "s.confirmed_at", "s.created_at", "l.subject", "l.body"])
    .where("i.delivery_id", "=", ctx.delivery.id)
    .where("i.signature_id", ">=", part.first_signature_id)
    .where("i.signature_id", "<=", part.last_signature_id)
    .where("s.status", "=", "confirmed")
    .where("s.held_at", "is", null)
    .orderBy("i.signature_id");
  if (limit !== undefined) query = query.limit(limit);
  for await (const row of query.stream(500)) {
    const values = letterValues({
      language: ctx.language,
      supporter: { name: row.name, country: row.country, postalCode: row.postal_code },
      target: ctx.target,
      campaignTitle: ctx.campaignTitle,
      actionTitle: ctx.actionTitle,
    });
    yield {
      name: row.name,
      country: row.country,
      signedAt: row.confirmed_at ?? row.created_at,
      subject: row.subject ? renderTemplate(row.subject, values) : "",
      body: row.body ? renderTemplate(row.body, values) : "",
      comment: row.comment,
    };
  }
}

/** Records that one part went out (idempotent). */
export async function markPartSent(db: Executor, deliveryId: number, part: number): Promise<void> {
  await db
    .updateTable("delivery_parts")
    .set({ sent_at: sql`coalesce(sent_at, now())` })
    .where("delivery_id", "=", deliveryId)
    .where("part", "=", part)
    .execute();
}

/** Marks a batch sent once all its parts are, or failed with the reason. */
export async function finishDelivery(db: Executor, deliveryId: number, outcome: { error: string } | "sent"): Promise<void> {
  await db
    .updateTable("deliveries")
    .set(outcome === "sent" ? { status: "sent", sent_at: sql`now()`, error: null } : { status: "failed", error: outcome.error.slice(0, 1000) })
    .where("id", "=", deliveryId)
    .where("status", "!=", "sent")
    .execute();
}

/**
 * Marks a batch failed and, when it was not failed already, records the alert for its campaign in
 * the same transaction. Returns the alert recorded, if any.
 */
export async function failDelivery(db: DB, deliveryId: number, error: string): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const was = await trx.selectFrom("deliveries").select("status").where("id", "=", deliveryId).forUpdate().executeTakeFirst();
    if (!was || was.status === "sent") return undefined;
    await finishDelivery(trx, deliveryId, { error });
    return was.status === "failed" ? undefined : recordBatchAlert(trx, deliveryId, "failed", error);
  });
}

/** Puts a failed batch back in line; its parts already sent are not sent again. */
export async function retryDelivery(db: Executor, deliveryId: number): Promise<boolean> {
  const result = await db
    .updateTable("deliveries")
    .set({ status: "pending", error: null })
    .where("id", "=", deliveryId)
    .where("status", "=", "failed")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Unsent batches (pending), for the sweeper to make sure each has a job. */
export async function pendingDeliveries(db: Executor, actionId?: number): Promise<number[]> {
  let q = db.selectFrom("deliveries").select("id").where("status", "=", "pending").orderBy("id");
  if (actionId !== undefined) q = q.where("action_id", "=", actionId);
  return (await q.execute()).map((r) => r.id);
}

/** How many confirmed items wait for each official of an action (not yet in any batch). */
export async function waitingCounts(db: Executor, actionId: number): Promise<Map<number, number>> {
  const rows = await sql<{ target_id: number; n: number }>`
    select t.target_id, count(s.id)::int8 as n
    from action_targets t
    join actions a on a.id = t.action_id
    join signatures s on s.action_id = t.action_id and s.status = 'confirmed' and s.held_at is null
    where t.action_id = ${actionId}
      and (a.kind = 'petition' or exists (select 1 from letter_recipients r where r.signature_id = s.id and r.target_id = t.target_id))
      and not exists (select 1 from delivery_items i where i.signature_id = s.id and i.target_id = t.target_id)
    group by t.target_id
  `.execute(db);
  return new Map(rows.rows.map((r) => [r.target_id, Number(r.n)]));
}

/** A campaign's delivery log: every batch with its action and official, newest first per action and official. */
export async function listDeliveryLog(db: Executor, campaignId: number, limit = 500) {
  return db
    .selectFrom("deliveries as d")
    .innerJoin("actions as a", "a.id", "d.action_id")
    .innerJoin("targets as t", "t.id", "d.target_id")
    .select([
      "d.id", "d.action_id", "d.target_id", "d.seq", "d.status", "d.items", "d.items_to_date", "d.parts", "d.trigger",
      "d.created_at", "d.sent_at", "d.error", "a.slug as action_slug", "t.name as target_name", "t.title as target_title",
    ])
    // What the receiving side reported, per part: accepted, bounced, complained.
    .select((eb) => [
      eb.selectFrom("delivery_parts as p").whereRef("p.delivery_id", "=", "d.id").where("p.accepted_at", "is not", null).select(sql<number>`count(*)::int`.as("n")).as("parts_accepted"),
      eb.selectFrom("delivery_parts as p").whereRef("p.delivery_id", "=", "d.id").where("p.bounced_at", "is not", null).select(sql<number>`count(*)::int`.as("n")).as("parts_bounced"),
      eb.selectFrom("delivery_parts as p").whereRef("p.delivery_id", "=", "d.id").where("p.complained_at", "is not", null).select(sql<number>`count(*)::int`.as("n")).as("parts_complained"),
    ])
    .where("a.campaign_id", "=", campaignId)
    .orderBy("a.position")
    .orderBy("d.action_id")
    .orderBy("t.name")
    .orderBy("d.seq", "desc")
    .limit(limit)
    .execute();
}

/** One batch, if it belongs to the campaign (a batch of another campaign is as good as missing). */
export async function findCampaignDelivery(db: Executor, campaignId: number, deliveryId: number) {
  return db
    .selectFrom("deliveries as d")
    .innerJoin("actions as a", "a.id", "d.action_id")
    .select(["d.id", "d.status", "d.action_id", "d.target_id", "d.seq"])
    .where("d.id", "=", deliveryId)
    .where("a.campaign_id", "=", campaignId)
    .executeTakeFirst();
}
