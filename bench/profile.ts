// `npx tsx bench/profile.ts`: one web process (compiled, as production runs it) under the sign
// load with --cpu-prof, then the summary of where its CPU went. BENCH_PROFILE_SECONDS sets the load;
// BENCH_PROFILE_PATH=/campaigns/… profiles a GET instead. The .cpuprofile stays in .cache/profiles
// (open it in Chrome DevTools for the flame chart).
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import getPort from "get-port";
import { createDb } from "#db/client";
import { seedDemo } from "#db/seed";
import { serviceEnv } from "./figures";
import { drive } from "./http";
import { summarise } from "./profile-summary";
import { dropDatabase, freshDatabase, SERVER_ENTRY, startProcess, startSink } from "./support";

const SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 15);
const dir = path.resolve(".cache/profiles");
mkdirSync(dir, { recursive: true });
const name = "inkwell_bench_profile";
const url = await freshDatabase(name);
const db = createDb(url, 2);
await seedDemo(db);
await db.destroy();
const sink = await startSink();
const port = await getPort({ host: "127.0.0.1" });
const env = { ...serviceEnv(url, port), SMTP_URL: sink.url, WEB_CONCURRENCY: "1" };
const before = Date.now();
const server = await startProcess(SERVER_ENTRY, ["--web"], env, /Inkwell is running/, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
const base = `http://127.0.0.1:${port}`;
let n = 0;
const get = process.env.BENCH_PROFILE_PATH;
const result = await drive(get
  ? { url: base + get, connections: 50, seconds: SECONDS, status: 200 }
  : {
      url: `${base}/campaigns/peru-innocent-prisoners/free-the-innocent`, method: "POST", connections: 50, seconds: SECONDS, status: 302,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: () => `name=Bench+Supporter&email=p${++n}.${before}%40example.org&country=PE&updates=on`,
    });
await server.stop();
await sink.close();
await dropDatabase(name);
const file = readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => f.endsWith(".cpuprofile") && statSync(f).mtimeMs >= before).sort().at(-1);
console.log(`${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.unexpected} unexpected; profile: ${file}`);
if (file) {
  const s = summarise(JSON.parse(readFileSync(file, "utf8")), 30);
  console.log(`\n${s.totalMs} ms sampled\n\n| self time by package | ms | share |\n| --- | --- | --- |`);
  for (const p of s.packages) console.log(`| ${p.name} | ${p.ms} | ${p.share}% |`);
  console.log(`\n| self time by function | ms | share |\n| --- | --- | --- |`);
  for (const f of s.functions) console.log(`| ${f.name.replace(/\|/g, "\\|")} | ${f.ms} | ${f.share}% |`);
}
