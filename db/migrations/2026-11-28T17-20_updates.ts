import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("updates")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status in ('draft', 'scheduled', 'sending', 'sent', 'cancelled')`),
    )
    .addColumn("scheduled_for", "timestamptz")
    .addColumn("created_by", "integer", (c) => c.references("campaigners.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("fanned_out_at", "timestamptz")
    .addColumn("sent_at", "timestamptz")
    .addColumn("cancelled_at", "timestamptz")
    .addColumn("audience_size", "integer")
    .execute();
  await sql`create index updates_campaign_idx on updates (campaign_id, id)`.execute(db);
  await sql`create index updates_due_idx on updates (scheduled_for) where status = 'scheduled'`.execute(db);

  await db.schema
    .createTable("update_translations")
    .addColumn("update_id", "bigint", (c) => c.notNull().references("updates.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull().check(sql`language ~ '^[a-z]{2}$'`))
    .addColumn("subject", "text", (c) => c.notNull().check(sql`length(btrim(subject)) between 1 and 200`))
    .addColumn("body_markdown", "text", (c) => c.notNull().check(sql`length(btrim(body_markdown)) between 1 and 20000`))
    .addPrimaryKeyConstraint("update_translations_pk", ["update_id", "language"])
    .execute();

  // The per-recipient ledger: its primary key is what makes "at most once" true.
  await db.schema
    .createTable("update_recipients")
    .addColumn("update_id", "bigint", (c) => c.notNull().references("updates.id").onDelete("cascade"))
    .addColumn("supporter_id", "bigint", (c) => c.notNull().references("supporters.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("queued").check(sql`status in ('queued', 'sent', 'failed', 'skipped')`),
    )
    .addColumn("error", "text")
    .addColumn("queued_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .addPrimaryKeyConstraint("update_recipients_pk", ["update_id", "supporter_id"])
    .execute();
  await sql`create index update_recipients_queued_idx on update_recipients (update_id, supporter_id) where status = 'queued'`.execute(db);

  // A row per (supporter, campaign) once someone unsubscribed (or came back).
  await db.schema
    .createTable("subscriptions")
    .addColumn("supporter_id", "bigint", (c) => c.notNull().references("supporters.id").onDelete("cascade"))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("unsubscribed_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("subscriptions_pk", ["supporter_id", "campaign_id"])
    .execute();
  await sql`create index subscriptions_unsubscribed_idx on subscriptions (campaign_id, unsubscribed_at) where unsubscribed_at is not null`.execute(db);

  // Never mail updates here again: a supporter who left every campaign, or an address that bounced or complained.
  await db.schema
    .createTable("suppressions")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("email", "text", (c) => c.check(sql`email = lower(email)`))
    .addColumn("supporter_id", "bigint", (c) => c.references("supporters.id").onDelete("cascade"))
    .addColumn("reason", "text", (c) => c.notNull().check(sql`reason in ('unsubscribed', 'hard_bounce', 'complaint')`))
    .addColumn("detail", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("suppressions_subject_check", sql`email is not null or supporter_id is not null`)
    .execute();
  await sql`create unique index suppressions_email_key on suppressions (email, reason) where email is not null`.execute(db);
  await sql`create unique index suppressions_supporter_key on suppressions (supporter_id, reason) where supporter_id is not null`.execute(db);

  // Delivery notices: at most one email per supporter per day, listing every delivery not yet reported.
  await db.schema
    .createTable("delivery_notices")
    .addColumn("supporter_id", "bigint", (c) => c.notNull().references("supporters.id").onDelete("cascade"))
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued").check(sql`status in ('queued', 'sent', 'skipped', 'failed')`))
    .addColumn("error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .addPrimaryKeyConstraint("delivery_notices_pk", ["supporter_id", "day"])
    .execute();
  await db.schema
    .createTable("delivery_notice_items")
    .addColumn("supporter_id", "bigint", (c) => c.notNull().references("supporters.id").onDelete("cascade"))
    .addColumn("delivery_id", "bigint", (c) => c.notNull().references("deliveries.id").onDelete("cascade"))
    .addColumn("notice_day", "date")
    .addPrimaryKeyConstraint("delivery_notice_items_pk", ["supporter_id", "delivery_id"])
    .execute();
  await sql`create index delivery_notice_items_unreported_idx on delivery_notice_items (supporter_id) where notice_day is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "delivery_notice_items", "delivery_notices", "suppressions", "subscriptions", "update_recipients", "update_translations", "updates",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
