// Child process of the benchmark: streams one action's signatures as CSV into a counting sink
// through the export the workspace uses, and prints time, rows, bytes and peak RSS as JSON.
import { Writable } from "node:stream";
import { closeDb, db } from "#db/client";
import { streamSignaturesCsv } from "#services/signature-export";
import { rssSampler } from "./support";

let bytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _enc, cb) {
    bytes += chunk.length;
    cb();
  },
});
const rss = rssSampler();
const started = performance.now();
const rows = await streamSignaturesCsv(db(), { campaignId: Number(process.env.BENCH_CAMPAIGN_ID), actionId: Number(process.env.BENCH_ACTION_ID) }, sink);
const seconds = (performance.now() - started) / 1000;
const peakRssMb = rss.stop();
await closeDb();
console.log(JSON.stringify({ rows, seconds, peakRssMb, mb: Math.round(bytes / 1024 / 1024) }));
// Handles opened elsewhere (metrics, Redis) must not keep the benchmark waiting.
process.exit(0);
