import { execFile } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import getPort from "get-port";
import { createDb } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import type { TestDatabase } from "./db";

const run = promisify(execFile);

export interface OwnPostgres {
  port: number;
  /** A database URL on this cluster. */
  url(database: string): string;
  /** `pg_ctl stop -m fast`: clients are cut off, open transactions roll back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster for good and removes its files. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const versions = readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl on a free loopback port, trust auth), so
 * a test can stop and start it without touching the shared server. PostgreSQL refuses to run as
 * root: as root, it runs as the `postgres` system user.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const port = await getPort({ host: "127.0.0.1" });
  const dir = mkdtempSync(path.join(tmpdir(), "inkwell-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);

  await pg("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`;
  const start = async () => {
    await pg("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"]);
  };
  const stop = async () => {
    await pg("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
  };
  await start();
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A migrated database on an own cluster, shaped like the shared harness's test databases. */
export async function createOwnDatabase(cluster: OwnPostgres, name = "inkwell"): Promise<TestDatabase> {
  const url = cluster.url(name);
  await migrateToLatest(url);
  const db = createDb(url, 5);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
    },
  };
}
