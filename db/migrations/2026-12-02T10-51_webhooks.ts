import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // An HTTPS endpoint a campaign pushes events to. The secret signs each delivery, so it is kept;
  // it is shown to the campaigner once, when the endpoint is added.
  await sql`
    create table webhook_endpoints (
      id serial primary key,
      campaign_id int not null references campaigns(id) on delete cascade,
      url text not null check (char_length(url) <= 500),
      secret text not null,
      events text[] not null check (cardinality(events) > 0),
      created_by int references campaigners(id) on delete set null,
      created_at timestamptz not null default now(),
      consecutive_failures int not null default 0,
      paused_at timestamptz,
      deleted_at timestamptz
    )
  `.execute(db);
  await sql`create index webhook_endpoints_campaign_idx on webhook_endpoints (campaign_id) where deleted_at is null`.execute(db);
  // One row per event per endpoint: the unique key makes emitting the same event twice a no-op,
  // and the row's id is the delivery's idempotency key (webhook-id) on every attempt and replay.
  await sql`
    create table webhook_deliveries (
      id serial primary key,
      endpoint_id int not null references webhook_endpoints(id) on delete cascade,
      event text not null,
      event_key text not null,
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts int not null default 0,
      response_status int,
      response_excerpt text,
      created_at timestamptz not null default now(),
      last_attempt_at timestamptz,
      sent_at timestamptz,
      unique (endpoint_id, event_key)
    )
  `.execute(db);
  await sql`create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists webhook_deliveries`.execute(db);
  await sql`drop table if exists webhook_endpoints`.execute(db);
}
