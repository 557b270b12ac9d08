import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The house plan, checked: which top-level folder may import which (docs/architecture-and-invariants.md).
// Each folder lists what it must not import; `no-restricted-imports` keeps only the last match,
// so every entry repeats the rule that holds for all (nothing imports tests/ or bench/).
const FOLDERS = ["app", "bench", "core", "db", "emails", "jobs", "server", "services", "tests"];
/** Matches an import of `folder` by alias (#folder/…, ~/ for app) or by a relative path climbing into it. */
const importOf = (folder) => `^(#${folder}/|${folder === "app" ? "~/|" : ""}(\\.\\./)+${folder}(/|$))`;
const nothingImportsTestsOrBench = { regex: `${importOf("tests")}|${importOf("bench")}`, message: "tests/ and bench/ are leaves: nothing imports them (shared test data belongs in tests/support/)." };
const forbid = (folders, message) => ({ regex: folders.map(importOf).join("|"), message });
const boundary = (files, ...patterns) => ({ files, rules: { "no-restricted-imports": ["error", { patterns: [...patterns, nothingImportsTestsOrBench] }] } });

export default tseslint.config(
  { ignores: ["node_modules", "build", "public/build", ".cache", ".mailbox", "bench/results.*"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
      "no-console": "off",
    },
  },
  boundary(["**/*.{ts,tsx,js}"]),
  boundary(["core/**"], forbid(FOLDERS.filter((f) => f !== "core"), "core/ is the bottom layer: it imports no other folder of the project.")),
  boundary(["db/**"], forbid(["app", "jobs", "services", "server", "emails"], "db/ reads and writes rows: it imports only core/ (formatting rows, e.g. as CSV, is the caller's).")),
  boundary(["emails/**"], forbid(["app", "jobs", "services", "server"], "emails/ sit below app/, jobs/ and services/: pass values in, or move the shared piece to core/.")),
  boundary(
    ["app/**"],
    { regex: "^(#server/(?!http/)|(\\.\\./)+server(/(?!http/)|$))", message: "app/ is served by server/: of it, only the HTTP layer (#server/http/…) that Remix's entry shares may be imported." },
    { regex: "^(#jobs/|(\\.\\./)+jobs/)(?!(definitions|queues)$)", message: "app/ may import only job definitions (#jobs/definitions) and enqueueing (#jobs/queues): call a service module (#services/…) for the rest." },
  ),
  boundary(["services/**"], forbid(["app", "server"], "services/ are called by app/ and jobs/; they do not import them.")),
  boundary(["jobs/**"], forbid(["app", "server"], "jobs/ run in the worker: they do not import app/ or server/.")),
  {
    files: ["tests/**"],
    rules: { "no-restricted-syntax": ["error", { selector: "CallExpression[callee.property.name=/^(only|skip)$/]", message: "No .only or .skip in committed tests." }] },
  },
);
