import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { BUILD_HASH_FILE, buildInputsHash, buildIsCurrent } from "./build-inputs";
import pg from "pg";
import { migrateToLatest } from "#db/migrate";

const ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function dropDatabases(filter: (runPid: number) => boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const found = await admin.query<{ datname: string }>("select datname from pg_database where datname ~ '^inkwell_(t|tpl)_[0-9]+'");
    for (const { datname } of found.rows) {
      const runPid = Number(/^inkwell_(?:t|tpl)_(\d+)/.exec(datname)![1]);
      if (filter(runPid)) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Once per run: build the app and the server, and migrate a template database that every test database is
 * cloned from. Names carry this run's pid, so concurrent runs never touch each other's databases.
 */
export default async function setup() {
  const runPid = process.pid;
  process.env.INKWELL_TEST_RUN = String(runPid);
  try {
    // flock: two runs on one checkout never write the build at the same time.
    mkdirSync(".cache", { recursive: true });
    const hash = buildInputsHash();
    if (!buildIsCurrent(hash)) {
      rmSync(BUILD_HASH_FILE, { force: true });
      // `npm run build`: the same bundles `npm start` serves, the app and the compiled server.
      execFileSync("flock", [".cache/build.lock", "npm", "run", "--silent", "build"], {
        stdio: "pipe",
        env: { ...process.env, NODE_ENV: "production" },
      });
      writeFileSync(BUILD_HASH_FILE, hash);
    }
  } catch (err) {
    throw new Error(`npm run build failed:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
  }
  // Leftovers of runs that were killed would otherwise pile up.
  await dropDatabases((pid) => pid !== runPid && !alive(pid));
  const url = new URL(ADMIN_URL);
  url.pathname = `/inkwell_tpl_${runPid}`;
  await migrateToLatest(url.toString());
  return async () => dropDatabases((pid) => pid === runPid);
}
