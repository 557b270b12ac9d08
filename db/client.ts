import { Kysely, PostgresDialect, type CompiledQuery, type Transaction } from "kysely";
import pg from "pg";
import Cursor from "pg-cursor";
import { env as dbEnv } from "#core/env";
import type { Database } from "./schema";

// int8 ids and counts fit comfortably in a double; numbers are nicer to work with than strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type DB = Kysely<Database>;
/** A connection or a transaction: query functions take either, so callers can compose them. */
export type Executor = Kysely<Database> | Transaction<Database>;

// The hottest statements are long (CTEs over several tables) and Postgres spent several times longer
// planning them than running them. Their text is kept under a name, and each connection prepares a
// statement once and then only binds and executes it (see `prepared`).
const preparedNames = new Map<string, string>();

type QueryFn = (...args: unknown[]) => unknown;
function preparingQueries(client: pg.PoolClient) {
  const query = client.query.bind(client) as QueryFn;
  (client as unknown as { query: QueryFn }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof text === "string" ? preparedNames.get(text) : undefined;
    return name ? query({ name, text, values }, callback) : query(text, values, callback);
  };
}

/**
 * Runs a compiled query as a prepared statement named `name` on whichever connection it gets: the
 * first run on a connection parses and plans, later runs only bind and execute. For statements of
 * fixed text (arrays, not lists of values), run on the hot paths. Postgres keeps the plan it settles
 * on while the tables are still small, so such a statement must reach every table by an index
 * lookup per row whatever the estimates say (docs/decisions/plans-without-statistics.md,
 * tests/scale/cached-plans.test.ts).
 */
export async function prepared<R>(db: Executor, name: string, query: CompiledQuery<R>): Promise<R[]> {
  if (!preparedNames.has(query.sql)) preparedNames.set(query.sql, name);
  return (await db.executeQuery(query)).rows;
}

/** Creates a Kysely instance for a connection string (tests and scripts use their own). */
export function createDb(connectionString: string, max = dbEnv().DATABASE_POOL_SIZE): DB {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (Postgres restarting) must not crash the process.
  pool.on("error", (err) => console.error(JSON.stringify({ level: "error", msg: "pg pool error", err: err.message })));
  // A connection lost while checked out (a transaction waiting on SMTP, say) emits 'error' on its
  // client, which the pool only listens to while the client is idle: unheard, it would crash the
  // process. The query in flight fails on its own, and the pool drops the dead client on release.
  pool.on("connect", (client) => {
    client.on("error", () => {});
    preparingQueries(client);
  });
  // The cursor lets big batches and exports stream rows instead of loading them.
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
}

const globalForDb = globalThis as unknown as { __inkwellDb?: DB };

/** The process-wide database handle, created once and reused across dev rebuilds. */
export function db(): DB {
  return (globalForDb.__inkwellDb ??= createDb(dbEnv().DATABASE_URL));
}

/** Closes the process-wide handle (graceful shutdown, end of a script). */
export async function closeDb(): Promise<void> {
  const handle = globalForDb.__inkwellDb;
  globalForDb.__inkwellDb = undefined;
  await handle?.destroy();
}
