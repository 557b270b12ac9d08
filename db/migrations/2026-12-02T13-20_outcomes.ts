import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // What happened because of a campaign: answers from the people it asked, and results (a law
  // changed, a prisoner freed), each dated and attributed, optionally for one call to action.
  await db.schema
    .createTable("campaign_results")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("campaign_id", "bigint", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("action_id", "bigint", (c) => c.references("actions.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('response', 'result')`))
    .addColumn("happened_on", "date", (c) => c.notNull())
    .addColumn("who", "text", (c) => c.notNull().check(sql`char_length(who) between 1 and 200`))
    .addColumn("what", "text", (c) => c.notNull().check(sql`char_length(what) between 1 and 4000`))
    .addColumn("link", "text", (c) => c.check(sql`link is null or (char_length(link) <= 2000 and link ~ '^https://')`))
    .addColumn("created_by", "bigint", (c) => c.references("campaigners.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index campaign_results_campaign_idx on campaign_results (campaign_id, happened_on, id)`.execute(db);

  // How a campaign, or one of its calls to action, ended: recorded once per scope, and told once.
  await db.schema
    .createTable("outcomes")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("campaign_id", "bigint", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("action_id", "bigint", (c) => c.references("actions.id").onDelete("cascade"))
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('won', 'partly_won', 'no_change', 'closed')`))
    .addColumn("decided_on", "date", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().check(sql`char_length(summary) between 1 and 4000`))
    .addColumn("recorded_by", "bigint", (c) => c.references("campaigners.id").onDelete("set null"))
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("update_id", "bigint", (c) => c.references("updates.id").onDelete("set null"))
    .execute();
  await sql`create unique index outcomes_scope_key on outcomes (campaign_id, coalesce(action_id, 0))`.execute(db);

  // An update may be meant for part of a campaign's subscribers only: the writers of one batch
  // (an official's reply) or the supporters of one call to action (its outcome).
  await sql`alter table updates add column audience_action_id bigint references actions (id) on delete cascade`.execute(db);
  await sql`alter table updates add column audience_delivery_id bigint references deliveries (id) on delete cascade`.execute(db);

  // Responsiveness per official across campaigns reads sent batches by official.
  await sql`create index deliveries_target_sent_idx on deliveries (target_id) where status = 'sent'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists deliveries_target_sent_idx`.execute(db);
  await sql`alter table updates drop column if exists audience_delivery_id`.execute(db);
  await sql`alter table updates drop column if exists audience_action_id`.execute(db);
  await db.schema.dropTable("outcomes").ifExists().execute();
  await db.schema.dropTable("campaign_results").ifExists().execute();
}
