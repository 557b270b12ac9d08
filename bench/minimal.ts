// The benchmark's honest baseline for the two write paths: what the hardware does for a POST with
// no framework at all. node:http, parse the urlencoded body, one statement, answer.
//   POST /campaigns/:slug/:action  → one INSERT … RETURNING id, one BullMQ add, 302
//   POST /confirm/:token           → one UPDATE … WHERE hash = $1, 303
// It validates nothing beyond "the fields are there", keeps no consent, counts no limit: the gap
// between Inkwell and this is everything Inkwell promises, plus what its code costs on top.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { serveInCluster } from "./cluster";

serveInCluster("minimal listening", () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const mail = new Queue("mail", { connection: redis, prefix: process.env.QUEUE_PREFIX });
  return createServer((req, res) => {
    const url = req.url ?? "";
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = url.startsWith("/confirm/") ? confirm(url.slice(9)) : sign(url, Buffer.concat(chunks).toString("utf8"));
      answer.then(
        ([status, location]) => res.writeHead(status, { Location: location }).end(),
        () => res.writeHead(500).end(),
      );
    });
  });

  async function sign(url: string, body: string): Promise<[number, string]> {
    const form = new URLSearchParams(body);
    const email = form.get("email");
    const name = form.get("name");
    if (!email || !name) return [400, url];
    const { rows } = await pool.query<{ id: number }>(
      "insert into bench_minimal (name, email, country, updates) values ($1, $2, $3, $4) returning id",
      [name, email, form.get("country") ?? "", form.get("updates") === "on"],
    );
    const id = rows[0]!.id;
    await mail.add("send-confirmation", { signatureId: id, seq: 1 }, { jobId: `minimal-${id}` });
    return [302, `${url}/sent`];
  }

  async function confirm(token: string): Promise<[number, string]> {
    const hash = createHash("sha256").update(token, "utf8").digest();
    await pool.query(
      "update signatures set status = 'confirmed', confirmed_at = now() where id = (select signature_id from tokens where hash = $1) and status = 'pending'",
      [hash],
    );
    return [303, "/thanks"];
  }
});
