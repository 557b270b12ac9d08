import { type Kysely, sql } from "kysely";

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("actions")
    .addColumn("delivery_mode", "text", (c) =>
      c.notNull().defaultTo("daily").check(sql`delivery_mode in ('interval', 'daily', 'threshold', 'manual')`),
    )
    .addColumn("delivery_every_hours", "integer", (c) => c.notNull().defaultTo(24).check(sql`delivery_every_hours between 1 and 720`))
    .addColumn("delivery_local_hour", "integer", (c) => c.notNull().defaultTo(9).check(sql`delivery_local_hour between 0 and 23`))
    .addColumn("delivery_threshold", "integer", (c) => c.notNull().defaultTo(100).check(sql`delivery_threshold between 1 and 1000000`))
    .execute();

  await db.schema
    .createTable("letters")
    .addColumn("signature_id", "bigint", (c) => c.primaryKey().references("signatures.id").onDelete("cascade"))
    .addColumn("subject", "text", (c) => c.notNull().check(sql`length(subject) between 1 and 200`))
    .addColumn("body", "text", (c) => c.notNull().check(sql`length(btrim(body)) > 0 and length(body) <= 5000`))
    .addColumn("edited", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("scrubbed_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("letter_recipients")
    .addColumn("signature_id", "bigint", (c) => c.notNull().references("letters.signature_id").onDelete("cascade"))
    .addColumn("target_id", "integer", (c) => c.notNull().references("targets.id").onDelete("restrict"))
    .addPrimaryKeyConstraint("letter_recipients_pk", ["signature_id", "target_id"])
    .execute();

  // One row per batch: one email (in one or more parts) to one official.
  await db.schema
    .createTable("deliveries")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("action_id", "integer", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("target_id", "integer", (c) => c.notNull().references("targets.id").onDelete("restrict"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn("items", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("items_to_date", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("parts", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .addColumn("error", "text")
    .addUniqueConstraint("deliveries_action_target_seq_key", ["action_id", "target_id", "seq"])
    .execute();
  await sql`create index deliveries_unsent_idx on deliveries (id) where status = 'pending'`.execute(db);

  await db.schema
    .createTable("delivery_parts")
    .addColumn("delivery_id", "bigint", (c) => c.notNull().references("deliveries.id").onDelete("cascade"))
    .addColumn("part", "integer", (c) => c.notNull().check(sql`part >= 1`))
    .addColumn("first_signature_id", "bigint", (c) => c.notNull())
    .addColumn("last_signature_id", "bigint", (c) => c.notNull())
    .addColumn("items", "integer", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("sent_at", "timestamptz")
    .addPrimaryKeyConstraint("delivery_parts_pk", ["delivery_id", "part"])
    .execute();

  // The delivery ledger: each (signature, official) pair belongs to exactly one batch, ever.
  await db.schema
    .createTable("delivery_items")
    .addColumn("signature_id", "bigint", (c) => c.notNull().references("signatures.id").onDelete("cascade"))
    .addColumn("target_id", "integer", (c) => c.notNull().references("targets.id").onDelete("restrict"))
    .addColumn("delivery_id", "bigint", (c) => c.notNull().references("deliveries.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("delivery_items_pk", ["signature_id", "target_id"])
    .execute();
  await sql`create index delivery_items_delivery_idx on delivery_items (delivery_id, signature_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["delivery_items", "delivery_parts", "deliveries", "letter_recipients", "letters"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema
    .alterTable("actions")
    .dropColumn("delivery_mode")
    .dropColumn("delivery_every_hours")
    .dropColumn("delivery_local_hour")
    .dropColumn("delivery_threshold")
    .execute();
}
