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
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
