import { defineConfig } from "vitest/config";

// Two lanes: `unit` needs no services and no build (seconds); `integration` builds the app once
// (reused while its inputs are unchanged) and runs against Postgres, Redis and SMTP.
export default defineConfig({
  test: {
    pool: "forks",
    maxWorkers: 2,
    allowOnly: false,
    passWithNoTests: false,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], testTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.test.{ts,tsx}"],
          exclude: ["tests/unit/**"],
          globalSetup: ["tests/support/global-setup.ts"],
          // One process runs many files: each file's start-up (the Remix build, the server's and the
          // libraries' modules) is paid once per process, not once per file. Each file still starts its
          // own platform, database and queue prefix, and per-file.ts gives it a clean environment.
          isolate: false,
          setupFiles: ["tests/support/per-file.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
