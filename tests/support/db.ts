import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type DB } from "#db/client";

const ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  db: DB;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of this test file's own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const run = process.env.INKWELL_TEST_RUN;
  if (!run) throw new Error("INKWELL_TEST_RUN is unset: run tests through vitest (global setup)");
  const name = `inkwell_t_${run}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`create database "${name}" template "inkwell_tpl_${run}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 5);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
