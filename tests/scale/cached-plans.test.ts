import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DB } from "#db/client";
import { seedDemo } from "#db/seed";
import { confirmSignature, recordNewSignatures, type SignatureInput } from "#db/queries/signatures";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { DEMO } from "../support/platform";

// The two statements of the crowd's paths (the batch of new signatures, the confirm button) are
// prepared once per connection, and Postgres keeps the plan it chose after a few runs until the
// tables' statistics change. A site goes live with empty tables, and a pooled connection under
// steady load is never closed, so that plan must stay good as the tables grow by orders of
// magnitude before anything analyzes them (autovacuum off, or not yet run): no step of it may
// read a whole table. Each statement is run enough times on the nearly empty tables for
// Postgres to settle on its cached plan, the tables then grow without ANALYZE, and the
// statement's sequential scans are counted in the transaction's own statistics.

const GROWTH = 50_000;
const SETTLE_RUNS = 10;
const WATCHED = ["supporters", "signatures", "consents", "tokens"] as const;

let database: TestDatabase;
let conn: DB;
let action: { id: number; campaign_id: number };
let n = 0;

const inputs = (count: number): SignatureInput[] =>
  Array.from({ length: count }, () => ({
    actionId: action.id, campaignId: action.campaign_id, email: `plan-${++n}@example.org`, name: "Ana Quispe", country: "PE",
    postalCode: null, comment: null, language: "es", updatesOptIn: n % 2 === 0, ipHash: null,
    privacyWording: "We keep your name and address to count your signature.", updatesWording: "Send me news of this campaign.", source: "/test",
  }));

const token = (i: number) => `plan${String(i).padStart(39, "0")}`;

/** Pending signatures with confirmation tokens `token(first)`…, written without the statements under test. */
async function pendingWithTokens(db: DB, first: number, count: number) {
  await sql`
    with s as (
      insert into supporters (email, language) select 'grown-' || g || '@example.org', 'en' from generate_series(${first}::int, ${first + count - 1}::int) g returning id, email
    ), sig as (
      insert into signatures (action_id, supporter_id, name, country, language, emails_sent, emails_requested)
      select ${action.id}, s.id, 'Supporter', 'PE', 'en', 1, 1 from s returning id, supporter_id
    )
    insert into tokens (hash, purpose, signature_id, expires_at)
    select sha256(convert_to('plan' || lpad(split_part(split_part(s.email, '-', 2), '@', 1), 39, '0'), 'UTF8')), 'confirm_signature', sig.id, now() + interval '1 day'
    from sig join s on s.id = sig.supporter_id
  `.execute(db);
}

async function seqScans(db: DB): Promise<Record<string, number>> {
  const { rows } = await sql<{ relname: string; seq_scan: string }>`
    select relname, seq_scan from pg_stat_xact_user_tables where relname in (${sql.join(WATCHED)})
  `.execute(db);
  return Object.fromEntries(WATCHED.map((t) => [t, Number(rows.find((r) => r.relname === t)?.seq_scan ?? 0)]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db);
  const row = await database.db.selectFrom("actions").select(["id", "campaign_id"]).where("slug", "=", DEMO.action).executeTakeFirstOrThrow();
  action = { id: Number(row.id), campaign_id: Number(row.campaign_id) };
  // One connection, so every run below reuses the same prepared statements and their cached plans.
  conn = createDb(database.url, 1);
});
afterAll(async () => {
  await conn?.destroy();
  await database?.drop();
});

describe("plans cached while the tables were empty", () => {
  it("read no table whole once the tables have grown: the batch of new signatures and the confirm button", async () => {
    await pendingWithTokens(database.db, 1, SETTLE_RUNS);
    for (let i = 1; i <= SETTLE_RUNS; i++) {
      expect(await recordNewSignatures(conn, inputs(5))).not.toContain(null);
      expect((await confirmSignature(conn, token(i)))?.status).toBe("confirmed");
    }

    // The tables grow by orders of magnitude, and nothing analyzes them.
    await pendingWithTokens(database.db, SETTLE_RUNS + 1, GROWTH);

    await conn.transaction().execute(async (trx) => {
      const before = await seqScans(trx);
      const recorded = await recordNewSignatures(trx, inputs(5));
      expect(recorded).not.toContain(null);
      expect((await confirmSignature(trx, token(SETTLE_RUNS + GROWTH)))?.status).toBe("confirmed");
      expect(await seqScans(trx)).toEqual(before);
    });
  });
});
