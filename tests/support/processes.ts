import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import type { TestPlatform } from "./platform";

/**
 * The compiled server, as `npm start` runs it. The run's global setup rebuilds it whenever a source
 * it is built from has changed, so a test never runs a stale one.
 */
export const SERVER_START = "build/server/start.js";

/**
 * The server (`--worker` or `--web`) as its own process, as `npm run start:worker` runs it,
 * against this test's database, queue prefix and SMTP server; `env` adds or overrides settings.
 */
export function startProcess(
  p: TestPlatform,
  env: Record<string, string> = {},
  options: { role?: "--worker" | "--web"; stdio?: StdioOptions } = {},
): ChildProcess {
  return spawn(process.execPath, [SERVER_START, options.role ?? "--worker"], {
    env: { ...process.env, DATABASE_URL: p.database.url, QUEUE_PREFIX: p.prefix, SMTP_URL: p.smtp.url, LOG_LEVEL: "silent", ...env },
    stdio: options.stdio ?? "ignore",
  });
}
