import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // The address as a mailbox provider delivers it, for spotting one person signing twice:
  // Gmail ignores dots and "+tags" (and googlemail.com is gmail.com); the other providers listed
  // deliver "+tags" to the same inbox. Every other domain is kept as typed (lower-cased).
  await sql`
    create function inkwell_canonical_email(email text) returns text
    language sql immutable strict parallel safe as $$
      select case
        when domain in ('gmail.com', 'googlemail.com')
          then replace(split_part(local, '+', 1), '.', '') || '@gmail.com'
        when domain in ('outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com',
                        'fastmail.com', 'fastmail.fm', 'protonmail.com', 'proton.me', 'pm.me', 'gmx.com', 'gmx.de')
          then split_part(local, '+', 1) || '@' || domain
        else local || '@' || domain
      end
      from (select lower(substr(email, 1, length(email) - strpos(reverse(email), '@'))) as local,
                   lower(split_part(email, '@', -1)) as domain) parts
    $$
  `.execute(db);
  await sql`alter table supporters add column canonical_email text generated always as (inkwell_canonical_email(email)) stored`.execute(db);
  await sql`create index supporters_canonical_email_idx on supporters (canonical_email)`.execute(db);

  await db.schema
    .alterTable("signatures")
    .addColumn("held_at", "timestamptz")
    .addColumn("held_reason", "text", (c) => c.check(sql`length(held_reason) <= 200`))
    .addColumn("anonymised_at", "timestamptz")
    .execute();
  await sql`create index signatures_held_idx on signatures (action_id, id) where held_at is not null`.execute(db);
  await sql`create index signatures_action_created_idx on signatures (action_id, created_at)`.execute(db);

  await db.schema
    .createTable("trending_reports")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("action_id", "integer", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("window_start", "timestamptz", (c) => c.notNull())
    .addColumn("window_end", "timestamptz", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('ip', 'domain')`))
    .addColumn("value", "text", (c) => c.notNull().check(sql`length(value) between 1 and 254`))
    .addColumn("signatures", "integer", (c) => c.notNull())
    .addColumn("held", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("trending_reports_window_key", ["action_id", "window_end", "kind", "value"])
    .execute();

  await db.schema
    .createTable("privacy_requests")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("supporter_id", "bigint", (c) => c.notNull().references("supporters.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull().check(sql`language ~ '^[a-z]{2}$'`))
    .addColumn("token_hash", "bytea", (c) => c.unique())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("erased_at", "timestamptz")
    .execute();
  await sql`create index privacy_requests_unsent_idx on privacy_requests (id) where sent_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("privacy_requests").execute();
  await db.schema.dropTable("trending_reports").execute();
  await db.schema.alterTable("signatures").dropColumn("held_at").dropColumn("held_reason").dropColumn("anonymised_at").execute();
  await sql`alter table supporters drop column canonical_email`.execute(db);
  await sql`drop function inkwell_canonical_email(text)`.execute(db);
}
