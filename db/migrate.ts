import { pathToFileURL } from "node:url";
import { Kysely, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import { env as dbEnv } from "#core/env";
import { migrations } from "./migrations";

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(connectionString: string): Promise<void> {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`DATABASE_URL: unsupported database name "${name}"`);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`create database "${name}"`);
      } catch (err) {
        // Another process may have created it at the same moment.
        if ((err as { code?: string }).code !== "42P04") throw err;
      }
    }
  } finally {
    await client.end();
  }
}

/** Brings the database at connectionString to the latest migration, creating it if missing. */
export async function migrateToLatest(connectionString: string): Promise<string[]> {
  await ensureDatabase(connectionString);
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 1 }) }),
  });
  try {
    const migrator = new Migrator({
      db,
      // A static list rather than a folder scan, so migrations load the same under tsx, vitest and bundlers.
      provider: { getMigrations: async () => migrations },
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const applied = await migrateToLatest(dbEnv().DATABASE_URL);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
}
