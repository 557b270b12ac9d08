import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // A suppression may outlive an erasure, but only as a keyed hash of the address.
  await sql`alter table suppressions add column email_hash bytea`.execute(db);
  await sql`alter table suppressions drop constraint suppressions_subject_check`.execute(db);
  await sql`alter table suppressions add constraint suppressions_subject_check
    check (email is not null or supporter_id is not null or email_hash is not null)`.execute(db);
  await sql`create unique index suppressions_email_hash_key on suppressions (email_hash, reason) where email_hash is not null`.execute(db);

  // What the receiving side said about one part of a batch.
  await db.schema
    .alterTable("delivery_parts")
    .addColumn("accepted_at", "timestamptz")
    .addColumn("bounced_at", "timestamptz")
    .addColumn("bounce_reason", "text")
    .addColumn("complained_at", "timestamptz")
    .addColumn("soft_bounces", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("deliveries").addColumn("bounced_at", "timestamptz").execute();
  // An official whose address bounced: their letters wait until the address is corrected.
  await db.schema
    .alterTable("targets")
    .addColumn("email_bounced_at", "timestamptz")
    .addColumn("email_bounce_reason", "text")
    .execute();

  // Every bounce, complaint or acceptance report matched to something Inkwell sent.
  await db.schema
    .createTable("mail_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('smtp', 'mailgun')`))
    .addColumn("event", "text", (c) => c.notNull().check(sql`event in ('accepted', 'soft_bounce', 'hard_bounce', 'complaint')`))
    .addColumn("subject_kind", "text", (c) => c.notNull())
    .addColumn("subject_ref", "text", (c) => c.notNull())
    .addColumn("delivery_id", "bigint", (c) => c.references("deliveries.id").onDelete("cascade"))
    .addColumn("supporter_id", "bigint", (c) => c.references("supporters.id").onDelete("set null"))
    .addColumn("status_code", "text")
    .addColumn("remote_reason", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index mail_events_delivery_idx on mail_events (delivery_id) where delivery_id is not null`.execute(db);
  await sql`create index mail_events_supporter_idx on mail_events (supporter_id, created_at) where supporter_id is not null`.execute(db);

  // Reports that could not be used, kept (without their content) with the reason.
  await db.schema
    .createTable("inbound_parked")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("recipient", "text")
    .addColumn("message_id", "text")
    .addColumn("size", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Webhook tokens already used: a replayed event is refused.
  await db.schema
    .createTable("webhook_tokens")
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("token", "text", (c) => c.notNull())
    .addColumn("seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("webhook_tokens_pk", ["provider", "token"])
    .execute();

  // Replies from officials to a batch's Reply-To address.
  await db.schema
    .createTable("official_replies")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("delivery_id", "bigint", (c) => c.notNull().references("deliveries.id").onDelete("cascade"))
    .addColumn("target_id", "bigint", (c) => c.notNull().references("targets.id").onDelete("cascade"))
    .addColumn("campaign_id", "bigint", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("from_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("published_at", "timestamptz")
    .addColumn("published_text", "text")
    .addColumn("published_by", "bigint", (c) => c.references("campaigners.id").onDelete("set null"))
    .addColumn("update_id", "bigint", (c) => c.references("updates.id").onDelete("set null"))
    .addUniqueConstraint("official_replies_message_key", ["delivery_id", "message_id"])
    .execute();
  await sql`create index official_replies_campaign_idx on official_replies (campaign_id, received_at desc)`.execute(db);
  await db.schema
    .createTable("reply_attachments")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("reply_id", "bigint", (c) => c.notNull().references("official_replies.id").onDelete("cascade"))
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("content", "bytea", (c) => c.notNull())
    .execute();
  await sql`create index reply_attachments_reply_idx on reply_attachments (reply_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["reply_attachments", "official_replies", "webhook_tokens", "inbound_parked", "mail_events"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable("targets").dropColumn("email_bounced_at").dropColumn("email_bounce_reason").execute();
  await db.schema.alterTable("deliveries").dropColumn("bounced_at").execute();
  await db.schema.alterTable("delivery_parts")
    .dropColumn("accepted_at").dropColumn("bounced_at").dropColumn("bounce_reason").dropColumn("complained_at").dropColumn("soft_bounces").execute();
  await sql`delete from suppressions where email is null and supporter_id is null`.execute(db);
  await sql`alter table suppressions drop constraint suppressions_subject_check`.execute(db);
  await sql`alter table suppressions add constraint suppressions_subject_check check (email is not null or supporter_id is not null)`.execute(db);
  await sql`alter table suppressions drop column email_hash`.execute(db);
}
