import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per campaigner who started or finished setting up an authenticator app. The secret is
  // stored encrypted (AES-256-GCM); `last_step` is the newest accepted time step, so a code works once.
  await db.schema
    .createTable("campaigner_two_factor")
    .addColumn("campaigner_id", "integer", (c) => c.primaryKey().references("campaigners.id").onDelete("cascade"))
    .addColumn("secret_encrypted", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("enabled_at", "timestamptz")
    .addColumn("last_step", "bigint")
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0).check(sql`failures >= 0`))
    .addColumn("failures_since", "timestamptz")
    .execute();

  await db.schema
    .createTable("two_factor_recovery_codes")
    .addColumn("code_hash", "bytea", (c) => c.primaryKey())
    .addColumn("campaigner_id", "integer", (c) => c.notNull().references("campaigners.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("used_at", "timestamptz")
    .execute();
  await sql`create index two_factor_recovery_codes_campaigner_idx on two_factor_recovery_codes (campaigner_id)`.execute(db);

  // The step between password and code: the row id is the SHA-256 of a cookie's token, so the
  // campaigner it is for is never a value the browser sends.
  await db.schema
    .createTable("sign_in_challenges")
    .addColumn("id", "bytea", (c) => c.primaryKey())
    .addColumn("campaigner_id", "integer", (c) => c.notNull().references("campaigners.id").onDelete("cascade"))
    .addColumn("next_path", "text", (c) => c.notNull().check(sql`length(next_path) <= 2048`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0).check(sql`attempts >= 0`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await sql`create index sign_in_challenges_expires_idx on sign_in_challenges (expires_at)`.execute(db);

  await db.schema
    .alterTable("campaigner_sessions")
    .addColumn("second_factor", "text", (c) => c.check(sql`second_factor in ('totp', 'recovery')`))
    .execute();

  // Settings an admin changes from the workspace: exactly one row.
  await db.schema
    .createTable("security_settings")
    .addColumn("id", "integer", (c) => c.primaryKey().defaultTo(1).check(sql`id = 1`))
    .addColumn("two_factor_required", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "integer", (c) => c.references("campaigners.id").onDelete("set null"))
    .execute();
  await sql`insert into security_settings (id) values (1)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("security_settings").execute();
  await db.schema.alterTable("campaigner_sessions").dropColumn("second_factor").execute();
  await db.schema.dropTable("sign_in_challenges").execute();
  await db.schema.dropTable("two_factor_recovery_codes").execute();
  await db.schema.dropTable("campaigner_two_factor").execute();
}
