import { execFileSync } from "node:child_process";
import pg from "pg";
import { migrateToLatest } from "../../db/migrate";

export const TEMPLATE_DB = "inkwell_test_template";
const ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Once per run: build the app, and migrate a template database every test database is cloned from. */
export default async function setup() {
  try {
    execFileSync("npx", ["remix", "build"], { stdio: "pipe" });
  } catch (err) {
    throw new Error(`remix build failed:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
  }
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    // Leftovers from an interrupted run would otherwise pile up.
    const stale = await admin.query("select datname from pg_database where datname like 'inkwell_t_%'");
    for (const row of stale.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${TEMPLATE_DB}`;
  await migrateToLatest(url.toString());
}
