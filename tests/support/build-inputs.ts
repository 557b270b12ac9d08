import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

// The remix build bundles app/ and whatever it imports, and the server bundle server/start.ts and
// whatever it imports; these are the folders and files that can change either. A run whose inputs
// hash like the last build's reuses that build.
const INPUT_DIRS = ["app", "core", "db", "emails", "jobs", "server", "services", "public"];
const INPUT_FILES = ["remix.config.js", "scripts/build-server.mjs", "package.json", "package-lock.json", "tsconfig.json"];
const SKIP = new Set(["build", "node_modules", ".cache"]);

export const BUILD_HASH_FILE = ".cache/build.hash";

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files(full, out);
    else out.push(full);
  }
  return out;
}

/** A digest of every file the build reads (names and contents). */
export function buildInputsHash(): string {
  const hash = createHash("sha256");
  for (const file of [...INPUT_DIRS.flatMap((d) => files(d)), ...INPUT_FILES]) {
    if (!existsSync(file)) continue;
    hash.update(file).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/** Whether build/ holds the bundles of exactly these inputs. */
export function buildIsCurrent(hash: string): boolean {
  return existsSync("build/index.js") && existsSync("build/server/start.js") && existsSync(BUILD_HASH_FILE) && readFileSync(BUILD_HASH_FILE, "utf8") === hash;
}
