// The benchmark's baseline for the reads: a bare node:http server answering the very bytes Inkwell
// answered (status, content type, body), kept in memory, with nothing computed per request.
// BENCH_ANSWERS names a JSON file of { path: { status, type, body (base64) } }.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { serveInCluster } from "./cluster";

interface Answer { status: number; type: string; body: string }

serveInCluster("bare listening", () => {
  const answers = new Map(
    Object.entries(JSON.parse(readFileSync(process.env.BENCH_ANSWERS!, "utf8")) as Record<string, Answer>)
      .map(([path, a]) => [path, { status: a.status, type: a.type, body: Buffer.from(a.body, "base64") }]),
  );
  return createServer((req, res) => {
    const a = answers.get(req.url ?? "");
    if (!a) return void res.writeHead(404).end();
    res.writeHead(a.status, { "Content-Type": a.type, "Content-Length": a.body.length }).end(a.body);
  });
});
