import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The partner sites allowed to frame a campaign's actions: bare origins (scheme, host, optional
  // port), https only, except plain http on loopback for development and tests. The list is joined
  // with spaces so one pattern checks every entry.
  await sql`alter table campaigns add column embed_origins text[] not null default '{}'
    check (cardinality(embed_origins) <= 20 and array_to_string(embed_origins, ' ') ~ '^((https://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|http://(localhost|127\\.0\\.0\\.1|\\[::1\\]))(:[0-9]{1,5})?( |$))*$')`.execute(db);
  // The embedding site is recorded as the signature's source: `embed:` and the partner's host.
  await sql`alter table signatures drop constraint if exists signatures_source_check`.execute(db);
  await sql`alter table signatures add constraint signatures_source_check check (source is null or source ~ '^[a-z0-9][a-z0-9._-]{0,39}$' or (source ~ '^embed:[a-z0-9.:-]+$' and char_length(source) <= 270))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table signatures drop constraint if exists signatures_source_check`.execute(db);
  await sql`alter table signatures add constraint signatures_source_check check (source is null or source ~ '^[a-z0-9][a-z0-9._-]{0,39}$') not valid`.execute(db);
  await sql`alter table campaigns drop column if exists embed_origins`.execute(db);
}
