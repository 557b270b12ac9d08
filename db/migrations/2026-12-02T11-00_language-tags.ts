import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
// Campaign, call-to-action and update texts, officials and their letters may be in any BCP 47
// language ("tr", "zh-Hans", "pt-BR"), not only two-letter codes. The application canonicalises a
// tag before storing it; the database keeps the shape and length honest.
const TAG = sql.raw(`'^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'`);
const TABLES = ["campaign_translations", "action_translations", "update_translations", "privacy_requests"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.raw(`${table}_language_check`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.raw(`${table}_language_tag`)} check (language ~ ${TAG} and length(language) <= 35)`.execute(db);
  }
  await sql`alter table targets add constraint targets_language_tag check (language ~ ${TAG} and length(language) <= 35)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table targets drop constraint targets_language_tag`.execute(db);
  for (const table of TABLES) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.raw(`${table}_language_tag`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.raw(`${table}_language_check`)} check (language ~ '^[a-z]{2}$')`.execute(db);
  }
}
