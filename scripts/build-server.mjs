// `npm run build` (after `remix build`): compiles the web and worker entry point (server/start.ts)
// and everything it imports (core, db, emails, jobs, services, the app modules Express uses) into
// one ES module, build/server/start.js, so production runs plain `node` instead of compiling
// TypeScript at start-up. Packages in node_modules stay external; the `#…` aliases are resolved and
// bundled. The operator tools (`npm run cli`, `db:migrate`) stay on tsx: migrations are TypeScript
// files read at run time.
import { build } from "esbuild";

await build({
  entryPoints: { start: "server/start.ts" },
  outdir: "build/server",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  jsx: "automatic",
  // With --enable-source-maps, stack traces point at the TypeScript sources.
  sourcemap: "linked",
  logLevel: "warning",
});
