import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A request for a reset link, answered by the worker: the request itself only records it, so the
  // answer takes the same time whether or not the address has an account.
  await db.schema
    .createTable("password_reset_requests")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("campaigner_id", "integer", (c) => c.notNull().references("campaigners.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("sent_at", "timestamptz")
    .execute();
  await sql`create index password_reset_requests_campaigner_idx on password_reset_requests (campaigner_id) where sent_at is null`.execute(db);
  await sql`create index password_resets_campaigner_idx on password_resets (campaigner_id) where used_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists password_resets_campaigner_idx`.execute(db);
  await db.schema.dropTable("password_reset_requests").execute();
}
