import type { z } from "zod";
import { ENV_NAMES, envSchema } from "./env";

type Def = { type: string; defaultValue?: unknown; in?: z.ZodType; out?: z.ZodType; innerType?: z.ZodType; options?: z.ZodType[] };
const defOf = (schema: z.ZodType) => (schema as unknown as { def: Def }).def;

/** The default a variable takes when unset, as the table shows it; undefined when it stays unset. */
function defaultOf(schema: z.ZodType): unknown {
  const def = defOf(schema);
  if (def.type === "default") return def.defaultValue;
  if (def.type === "pipe") return defaultOf(def.in!) ?? defaultOf(def.out!);
  return undefined;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** docs/configuration.md, generated from the environment schema in core/env.ts. */
export function configurationMarkdown(): string {
  const rows = ENV_NAMES.map((name) => {
    const schema = envSchema.shape[name] as z.ZodType;
    const fallback = defaultOf(schema);
    const shown = fallback === undefined ? "unset" : `\`${cell(String(fallback))}\``;
    return `| \`${name}\` | ${shown} | ${cell(schema.description ?? "")} |`;
  });
  return [
    "# Configuration",
    "",
    "<!-- Generated from core/env.ts by `npm run docs:config`; edit the schema, not this file. -->",
    "",
    "Inkwell reads its settings from environment variables only, each through the one schema in",
    "`core/env.ts` (`env()` in code). `npm start` checks them all before it serves anything and names",
    "any variable that is wrong. Every variable has a working default for a laptop; production needs",
    "at least `NODE_ENV=production`, `SESSION_SECRET`, `APP_URL`, `DATABASE_URL`, `REDIS_URL` and `SMTP_URL`.",
    "",
    "To add a variable: add one entry to the schema in `core/env.ts` with its `.describe()`, read it",
    "with `env().NAME`, and run `npm run docs:config` (the unit test `tests/unit/configuration-docs.test.ts`",
    "fails until this file matches the schema).",
    "",
    "| Variable | Default | What it does |",
    "| --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
