import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per thing that happened (a batch failed, an official flagged, a goal reached...),
  // written in the transaction of the event itself. `key` makes recording the same event twice a no-op.
  await sql`create table staff_alerts (
    id serial primary key,
    campaign_id int not null references campaigns(id) on delete cascade,
    kind text not null check (kind in ('batch', 'official', 'held', 'goal', 'reply', 'webhook')),
    key text not null unique check (char_length(key) <= 200),
    detail jsonb not null default '{}',
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index staff_alerts_campaign_idx on staff_alerts (campaign_id, id)`.execute(db);
  // A digest: the alerts a campaigner chose to get once a day, claimed together, sent once.
  await sql`create table staff_digests (
    id serial primary key,
    campaigner_id int not null references campaigners(id) on delete cascade,
    created_at timestamptz not null default now(),
    sent_at timestamptz
  )`.execute(db);
  await sql`create index staff_digests_unsent_idx on staff_digests (id) where sent_at is null`.execute(db);
  // Who hears of an alert, how (an email now or in the next digest), and whether they have read it.
  await sql`create table staff_alert_recipients (
    alert_id int not null references staff_alerts(id) on delete cascade,
    campaigner_id int not null references campaigners(id) on delete cascade,
    email text not null check (email in ('immediate', 'digest')),
    emailed_at timestamptz,
    digest_id int references staff_digests(id) on delete set null,
    read_at timestamptz,
    primary key (alert_id, campaigner_id)
  )`.execute(db);
  await sql`create index staff_alert_recipients_unread_idx on staff_alert_recipients (campaigner_id, alert_id) where read_at is null`.execute(db);
  await sql`create index staff_alert_recipients_mine_idx on staff_alert_recipients (campaigner_id, alert_id)`.execute(db);
  await sql`create index staff_alert_recipients_unsent_idx on staff_alert_recipients (alert_id) where email = 'immediate' and emailed_at is null`.execute(db);
  await sql`create index staff_alert_recipients_digest_idx on staff_alert_recipients (campaigner_id) where email = 'digest' and digest_id is null`.execute(db);
  // Each campaigner's choices; no row means every kind, by email at once.
  await sql`create table campaigner_alert_settings (
    campaigner_id int primary key references campaigners(id) on delete cascade,
    email_mode text not null default 'immediate' check (email_mode in ('immediate', 'digest')),
    muted text[] not null default '{}' check (muted <@ array['batch', 'official', 'held', 'goal', 'reply', 'webhook']::text[]),
    updated_at timestamptz not null default now()
  )`.execute(db);
  // Goals already reached before alerts existed are old news: recorded as alerted, with nobody to tell.
  await sql`insert into staff_alerts (campaign_id, kind, key, detail)
    select a.campaign_id, 'goal', 'goal-action-' || a.id || '-' || a.goal, jsonb_build_object('action', a.slug, 'goal', a.goal, 'count', k.confirmed)
    from actions a join action_counters k on k.action_id = a.id where a.goal > 0 and k.confirmed >= a.goal`.execute(db);
  await sql`insert into staff_alerts (campaign_id, kind, key, detail)
    select c.id, 'goal', 'goal-campaign-' || c.id || '-' || c.goal, jsonb_build_object('goal', c.goal, 'count', sum(k.confirmed))
    from campaigns c join actions a on a.campaign_id = c.id join action_counters k on k.action_id = a.id
    where c.goal > 0 group by c.id, c.goal having sum(k.confirmed) >= c.goal`.execute(db);
  // Signatures held for review alert once the campaign holds this many; re-armed when reviews bring it below.
  await sql`alter table campaigns
    add column held_alert_threshold int not null default 25 check (held_alert_threshold between 1 and 100000),
    add column held_alerted_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table campaigns drop column if exists held_alert_threshold, drop column if exists held_alerted_at`.execute(db);
  await sql`drop table if exists campaigner_alert_settings, staff_alert_recipients, staff_digests, staff_alerts`.execute(db);
}
