import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The supporters list searches a campaign's signatures by the start of a name, case-insensitively:
  // a prefix LIKE on lower(name) can use this index; a leading wildcard never could.
  await sql`create index signatures_action_name_idx on signatures (action_id, lower(name) text_pattern_ops)`.execute(db);
  // The delivery log lists an action's batches per official, newest first.
  await sql`create index deliveries_action_target_idx on deliveries (action_id, target_id, seq desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists deliveries_action_target_idx`.execute(db);
  await sql`drop index if exists signatures_action_name_idx`.execute(db);
}
