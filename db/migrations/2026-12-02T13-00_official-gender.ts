import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The grammatical gender a letter uses to address an official ("Estimada Ministra", "Madame la
  // Ministre"), when the campaign team knows it; null addresses them in neutral words.
  await sql`alter table targets add column gender text check (gender in ('female', 'male'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table targets drop column if exists gender`.execute(db);
}
