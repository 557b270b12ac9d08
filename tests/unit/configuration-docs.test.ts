import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configurationMarkdown } from "#core/env-docs";
import { ENV_NAMES, envSchema } from "#core/env";

describe("the configuration table", () => {
  it("matches the environment schema (run `npm run docs:config` after changing core/env.ts)", () => {
    expect(readFileSync("docs/configuration.md", "utf8")).toBe(configurationMarkdown());
  });

  it("describes every variable", () => {
    const undescribed = ENV_NAMES.filter((name) => !envSchema.shape[name].description);
    expect(undescribed).toEqual([]);
  });
});
