import { writeFileSync, mkdirSync } from "node:fs";
import { createDb } from "../db/client";
import { seedDemo } from "../db/seed";
import { loadLetters } from "./load";
import { dropDatabase, freshDatabase, runChild, startSink } from "./support";

// `npm run bench`: measures Inkwell on this machine and writes bench/results.json and results.md.
const LETTERS = Number(process.env.BENCH_LETTERS ?? 100_000);
// The heap cap `npm run start:worker` runs with: V8 collects sooner instead of growing the heap.
const WORKER_NODE_ARGS = ["--max-old-space-size=128"];

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  target?: string;
  note?: string;
}
const figures: Figure[] = [];

async function deliveryFigures() {
  const name = "inkwell_bench_delivery";
  const url = await freshDatabase(name);
  const db = createDb(url, 4);
  await seedDemo(db);
  const action = await db.selectFrom("actions").select("id").where("slug", "=", "write-to-the-minister").executeTakeFirstOrThrow();
  const target = await db.selectFrom("targets").select("id").where("email", "=", "ministro@minjus-pe.example").executeTakeFirstOrThrow();
  console.log(`Loading ${LETTERS.toLocaleString("en")} letters…`);
  await loadLetters(db, action.id, target.id, LETTERS);
  await db.destroy();
  const sink = await startSink();
  console.log("Delivering them as one batch to one official…");
  const result = await runChild<{ seconds: number; peakRssMb: number; items: number; parts: number; status: string }>("bench/deliver-batch.ts", {
    DATABASE_URL: url, SMTP_URL: sink.url, BENCH_ACTION_ID: String(action.id), BENCH_TARGET_ID: String(target.id), LOG_LEVEL: "silent",
    MAIL_FROM: "Inkwell Bench <bench@inkwell.example>",
  }, WORKER_NODE_ARGS);
  const mb = Math.round((sink.bytes() / 1024 / 1024) * 10) / 10;
  await sink.close();
  await dropDatabase(name);
  if (result.status !== "sent" || result.items !== LETTERS) throw new Error(`delivery did not complete: ${JSON.stringify(result)}`);
  const note = `${result.items.toLocaleString("en")} letters in ${result.parts} parts, ${mb} MB sent (CSV + PDF per part); worker heap capped at 128 MB`;
  figures.push({ name: `delivery of a ${LETTERS.toLocaleString("en")}-letter batch: time`, value: round(result.seconds), unit: "s", note });
  figures.push({ name: `delivery of a ${LETTERS.toLocaleString("en")}-letter batch: peak RSS`, value: result.peakRssMb, unit: "MB", target: "≤ 256 MB" });
}

const round = (n: number) => Math.round(n * 100) / 100;

function report() {
  mkdirSync("bench", { recursive: true });
  writeFileSync("bench/results.json", JSON.stringify({ date: new Date().toISOString(), machine: machine(), figures }, null, 2));
  const rows = figures.map((f) => `| ${f.name} | ${f.value} ${f.unit} | ${f.baseline ? `${f.baseline.name}: ${f.baseline.value} ${f.unit}` : "—"} | ${f.target ?? "—"} | ${f.note ?? ""} |`);
  const md = ["| figure | Inkwell | baseline | target | note |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
  writeFileSync("bench/results.md", md + "\n");
  console.log(`\n${md}\n\nWritten to bench/results.json and bench/results.md.`);
}

function machine() {
  return { node: process.version, cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? null };
}

await deliveryFigures();
report();
