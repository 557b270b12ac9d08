import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A campaigner's key to the OSDI API. Only the SHA-256 of the secret is kept; the prefix lets
  // the workspace and the audit log name a key without holding it.
  await sql`
    create table api_keys (
      id serial primary key,
      campaigner_id int not null references campaigners(id) on delete cascade,
      name text not null check (char_length(name) between 1 and 80),
      prefix text not null,
      token_hash bytea not null unique,
      scopes text[] not null check (cardinality(scopes) > 0 and scopes <@ array['read', 'people', 'write']::text[]),
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )
  `.execute(db);
  await sql`create index api_keys_campaigner_idx on api_keys (campaigner_id, id desc)`.execute(db);
  // The campaigns a key may reach; the owner's own access is checked again on every request.
  await sql`
    create table api_key_campaigns (
      api_key_id int not null references api_keys(id) on delete cascade,
      campaign_id int not null references campaigns(id) on delete cascade,
      primary key (api_key_id, campaign_id)
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists api_key_campaigns`.execute(db);
  await sql`drop table if exists api_keys`.execute(db);
}
