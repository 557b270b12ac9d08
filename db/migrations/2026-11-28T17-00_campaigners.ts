import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("campaigners")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("email", "text", (c) => c.notNull().check(sql`email = lower(email) and length(email) <= 254`))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(btrim(name)) between 1 and 120`))
    .addColumn("role", "text", (c) => c.notNull().defaultTo("campaigner").check(sql`role in ('admin', 'campaigner')`))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("disabled_at", "timestamptz")
    .execute();
  await sql`create unique index campaigners_email_key on campaigners (email)`.execute(db);

  // The row id is the SHA-256 of the cookie's token: a leaked table never yields a usable cookie.
  await db.schema
    .createTable("campaigner_sessions")
    .addColumn("id", "bytea", (c) => c.primaryKey())
    .addColumn("campaigner_id", "integer", (c) => c.notNull().references("campaigners.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await sql`create index campaigner_sessions_campaigner_idx on campaigner_sessions (campaigner_id)`.execute(db);

  await db.schema
    .createTable("password_resets")
    .addColumn("token_hash", "bytea", (c) => c.primaryKey())
    .addColumn("campaigner_id", "integer", (c) => c.notNull().references("campaigners.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("campaign_members")
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("campaigner_id", "integer", (c) => c.notNull().references("campaigners.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().defaultTo("editor").check(sql`role in ('owner', 'editor')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("campaign_members_pk", ["campaign_id", "campaigner_id"])
    .execute();
  await sql`create index campaign_members_campaigner_idx on campaign_members (campaigner_id)`.execute(db);

  await db.schema
    .alterTable("campaigns")
    .addColumn("created_by", "integer", (c) => c.references("campaigners.id").onDelete("set null"))
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("campaigner_id", "integer", (c) => c.references("campaigners.id").onDelete("set null"))
    .addColumn("campaign_id", "integer", (c) => c.references("campaigns.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text")
    .addColumn("details", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index audit_log_created_idx on audit_log (created_at desc, id desc)`.execute(db);
  await sql`create index audit_log_campaign_idx on audit_log (campaign_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
  await db.schema.alterTable("campaigns").dropColumn("created_by").execute();
  await db.schema.dropTable("campaign_members").execute();
  await db.schema.dropTable("password_resets").execute();
  await db.schema.dropTable("campaigner_sessions").execute();
  await db.schema.dropTable("campaigners").execute();
}
