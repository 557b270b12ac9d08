import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("campaigns")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("slug", "text", (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status in ('draft', 'live', 'closed', 'archived')`),
    )
    .addColumn("default_language", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("goal", "integer", (c) => c.notNull().defaultTo(1000).check(sql`goal > 0`))
    .addColumn("image_url", "text")
    .addColumn("reply_to", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("launched_at", "timestamptz")
    .addColumn("closed_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("campaign_translations")
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull().check(sql`language ~ '^[a-z]{2}$'`))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("story", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("campaign_translations_pk", ["campaign_id", "language"])
    .execute();

  await db.schema
    .createTable("actions")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('petition', 'letter')`))
    .addColumn("goal", "integer", (c) => c.notNull().check(sql`goal > 0`))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("letter_editable", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("actions_campaign_slug_key", ["campaign_id", "slug"])
    .execute();

  await db.schema
    .createTable("action_translations")
    .addColumn("action_id", "integer", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull().check(sql`language ~ '^[a-z]{2}$'`))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn("ask", "text", (c) => c.notNull())
    .addColumn("letter_subject", "text")
    .addColumn("letter_body", "text")
    .addPrimaryKeyConstraint("action_translations_pk", ["action_id", "language"])
    .execute();

  await db.schema
    .createTable("targets")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("organisation", "text", (c) => c.notNull())
    .addColumn("country", "text", (c) => c.notNull().check(sql`country ~ '^[A-Z]{2}$'`))
    .addColumn("email", "text")
    .addColumn("postal_address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("language", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("time_zone", "text", (c) => c.notNull().defaultTo("UTC"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("action_targets")
    .addColumn("action_id", "integer", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("target_id", "integer", (c) => c.notNull().references("targets.id").onDelete("restrict"))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("action_targets_pk", ["action_id", "target_id"])
    .execute();

  await db.schema
    .createTable("supporters")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("email", "text", (c) => c.notNull().unique().check(sql`email = lower(email) and length(email) <= 254`))
    .addColumn("language", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("erased_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("signatures")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("action_id", "integer", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("supporter_id", "bigint", (c) => c.notNull().references("supporters.id").onDelete("cascade"))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'confirmed', 'expired', 'invalidated')`),
    )
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn("country", "text", (c) => c.notNull().check(sql`country ~ '^[A-Z]{2}$'`))
    .addColumn("postal_code", "text", (c) => c.check(sql`length(postal_code) <= 16`))
    .addColumn("comment", "text", (c) => c.check(sql`length(comment) <= 1000`))
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("updates_opt_in", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("ip_hash", "bytea")
    .addColumn("emails_requested", "smallint", (c) => c.notNull().defaultTo(1).check(sql`emails_requested between 0 and 3`))
    .addColumn("emails_sent", "smallint", (c) => c.notNull().defaultTo(0))
    .addColumn("counted", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_email_at", "timestamptz")
    .addColumn("reminded_at", "timestamptz")
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("expired_at", "timestamptz")
    .addColumn("invalidated_at", "timestamptz")
    .addColumn("invalidated_reason", "text")
    .addUniqueConstraint("signatures_action_supporter_key", ["action_id", "supporter_id"])
    .execute();
  await sql`create index signatures_uncounted_idx on signatures (id) where status = 'confirmed' and not counted`.execute(db);
  await sql`create index signatures_pending_idx on signatures (created_at) where status = 'pending'`.execute(db);
  await sql`create index signatures_unsent_idx on signatures (id) where status = 'pending' and emails_sent < emails_requested`.execute(db);
  await sql`create index signatures_action_status_idx on signatures (action_id, status)`.execute(db);
  await sql`create index signatures_supporter_idx on signatures (supporter_id)`.execute(db);

  await db.schema
    .createTable("tokens")
    .addColumn("hash", "bytea", (c) => c.primaryKey())
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('confirm_signature')`))
    .addColumn("signature_id", "bigint", (c) => c.references("signatures.id").onDelete("cascade"))
    .addColumn("supporter_id", "bigint", (c) => c.references("supporters.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await sql`create index tokens_signature_idx on tokens (signature_id)`.execute(db);

  await db.schema
    .createTable("consents")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("supporter_id", "bigint", (c) => c.notNull().references("supporters.id").onDelete("cascade"))
    .addColumn("signature_id", "bigint", (c) => c.references("signatures.id").onDelete("cascade"))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('privacy_notice', 'updates')`))
    .addColumn("wording", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("ip_hash", "bytea")
    .addColumn("given_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("withdrawn_at", "timestamptz")
    .execute();
  await sql`create index consents_supporter_idx on consents (supporter_id, campaign_id)`.execute(db);

  await db.schema
    .createTable("action_counters")
    .addColumn("action_id", "integer", (c) => c.primaryKey().references("actions.id").onDelete("cascade"))
    .addColumn("confirmed", "bigint", (c) => c.notNull().defaultTo(0).check(sql`confirmed >= 0`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "action_counters", "consents", "tokens", "signatures", "supporters",
    "action_targets", "targets", "action_translations", "actions", "campaign_translations", "campaigns",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
