import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The sweeper looks for webhook deliveries that were recorded but never tried (their job was lost
  // with Redis): a small partial index keeps that look cheap however long the delivery log grows.
  await sql`create index if not exists webhook_deliveries_untried_idx on webhook_deliveries (id) where status = 'pending' and attempts = 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists webhook_deliveries_untried_idx`.execute(db);
}
