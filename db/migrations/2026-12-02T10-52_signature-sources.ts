import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The channel that brought a signature or letter (`?source=` on the page, "api" for the record
  // helpers): short, lower-case, from a small alphabet, so it can be shown and grouped safely.
  await sql`alter table signatures add column source text check (source is null or source ~ '^[a-z0-9][a-z0-9._-]{0,39}$')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table signatures drop column if exists source`.execute(db);
}
