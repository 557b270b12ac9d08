import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // An update's fan-out looks up, for each supporter of a page, whether they hold a confirmed,
  // opted-in signature and the language of their latest one. Without this index the planner can
  // answer that from (action_id, status), reading the whole action once per supporter (quadratic)
  // when the statistics lag a bulk import; with it each lookup is one backward index-only probe.
  await sql`
    create index if not exists signatures_update_audience_idx on signatures (supporter_id, id)
    include (action_id, language) where status = 'confirmed' and updates_opt_in
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists signatures_update_audience_idx`.execute(db);
}
