import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// What a supporter's browser downloads to run a page, from the production build the integration
// lane makes (public/build): the client entry and what it imports, the root and the route module
// with their imports (from Remix's manifest), and the heaviest page catalogue (entry.client loads
// the page's language only; Arabic is the largest). Sizes are compressed as the server sends them:
// brotli at quality 4 and gzip at level 6, the `compression` middleware's defaults; the larger of
// the two must fit. docs/decisions/client-validation.md tells how the pages got there.

const BUILD = path.resolve("public/build");
const KB = 1024;
const BUDGETS = [
  { page: "campaign page", route: "routes/campaigns.$slug._index", budget: 100 * KB },
  { page: "letter page", route: "routes/campaigns.$slug.$action._index", budget: 130 * KB },
  { page: "embedded letter page", route: "routes/embed.campaigns.$slug.$action._index", budget: 130 * KB },
];

interface Manifest {
  entry: { module: string; imports?: string[] };
  routes: Record<string, { module: string; imports?: string[]; parentId?: string }>;
}

function manifest(): Manifest {
  const file = readdirSync(BUILD).find((f) => /^manifest-[A-Z0-9]+\.js$/.test(f));
  if (!file) throw new Error("public/build has no Remix manifest: did the build run?");
  const text = readFileSync(path.join(BUILD, file), "utf8");
  return JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "")) as Manifest;
}

const read = (url: string) => readFileSync(path.join(BUILD, url.replace(/^\/build\//, "")));
const brotli = (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).length;
const gzip = (b: Buffer) => gzipSync(b, { level: 6 }).length;
const sizes = (files: string[]) => files.map(read).reduce((t, b) => ({ raw: t.raw + b.length, br: t.br + brotli(b), gz: t.gz + gzip(b) }), { raw: 0, br: 0, gz: 0 });

/** The files a document request for `routeId` makes the browser load, the catalogue left out. */
function routeFiles(m: Manifest, routeId: string): string[] {
  const files = new Set([m.entry.module, ...(m.entry.imports ?? [])]);
  for (let id: string | undefined = routeId; id; id = m.routes[id]?.parentId) {
    const route = m.routes[id];
    if (!route) throw new Error(`The manifest has no route ${id}`);
    files.add(route.module);
    for (const f of route.imports ?? []) files.add(f);
  }
  return [...files];
}

/** The page catalogues entry.client may load: the chunks its code imports on demand. */
function catalogueChunks(m: Manifest): string[] {
  const entry = read(m.entry.module).toString("utf8");
  return [...entry.matchAll(/import\("(\/build\/[^"]+)"\)/g)].map((x) => x[1]!);
}

const fmt = (n: number) => `${(n / KB).toFixed(1)} KB`;

describe("JavaScript budget of the public pages", () => {
  const m = manifest();
  const catalogues = catalogueChunks(m);

  it("loads one catalogue per page, each a chunk of its own", () => {
    expect(catalogues).toHaveLength(4);
  });

  const heaviest = () => catalogues.map((f) => ({ f, ...sizes([f]) })).sort((a, b) => Math.max(b.br, b.gz) - Math.max(a.br, a.gz))[0]!;

  for (const { page, route, budget } of BUDGETS) {
    it(`keeps the ${page} within ${fmt(budget)} compressed`, () => {
      const files = [...routeFiles(m, route), heaviest().f];
      const s = sizes(files);
      console.log(`${page}: ${files.length} files, ${fmt(s.raw)} raw, ${fmt(s.br)} brotli (q4), ${fmt(s.gz)} gzip (6); budget ${fmt(budget)}`);
      expect(Math.max(s.br, s.gz)).toBeLessThanOrEqual(budget);
    });
  }

  it("ships no zod with the campaign and letter pages, and no charting library with any public page", () => {
    const has = (files: string[], marker: string) => files.filter((f) => read(f).includes(marker));
    for (const { route } of BUDGETS) expect(has(routeFiles(m, route), "$ZodObject"), route).toEqual([]);
    for (const route of Object.keys(m.routes).filter((id) => !id.startsWith("routes/admin"))) {
      expect(has(routeFiles(m, route), "recharts"), route).toEqual([]);
    }
    // The markers are real: the workspace dashboard carries both.
    expect(has(routeFiles(m, "routes/admin.campaigns.$id._index"), "recharts").length).toBeGreaterThan(0);
  });
});
