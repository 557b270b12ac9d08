import { writeFileSync } from "node:fs";
import { configurationMarkdown } from "#core/env-docs";

// Regenerates docs/configuration.md from the environment schema.
writeFileSync(new URL("../docs/configuration.md", import.meta.url), configurationMarkdown());
console.log("docs/configuration.md written");
