import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import { UnrecoverableError, type Job, type Queue, type Worker } from "bullmq";
import { env } from "./env";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Kinds of email, the label of the email counters. */
export const EMAIL_KINDS = ["confirmation", "delivery", "update", "notice", "privacy"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const emailsSent = new Counter({ name: "inkwell_emails_sent_total", help: "Emails accepted by SMTP, by kind", labelNames: ["kind"], registers });
  const emailsFailed = new Counter({
    name: "inkwell_emails_failed_total", help: "Email jobs that failed, by kind and whether they will be retried", labelNames: ["kind", "failure"], registers,
  });
  for (const kind of EMAIL_KINDS) {
    emailsSent.inc({ kind }, 0);
    for (const failure of ["temporary", "permanent"]) emailsFailed.inc({ kind, failure }, 0);
  }
  return {
    registry,
    emailsSent,
    emailsFailed,
    signaturesAccepted: new Counter({ name: "inkwell_signatures_accepted_total", help: "Signatures accepted by the web tier", registers }),
    hotReads: new Counter({ name: "inkwell_hot_reads_total", help: "Campaign pages and count answers sent straight from node:http, by route", labelNames: ["route"], registers }),
    pageChecks: new Counter({ name: "inkwell_page_checks_total", help: "Kept campaign pages whose data was read again when they expired, by whether it had changed", labelNames: ["outcome"], registers }),
    confirmFastPath: new Counter({ name: "inkwell_confirm_fast_path_total", help: "Confirm-button POSTs run ahead of Remix, by who sent the answer", labelNames: ["answered_by"], registers }),
    signFastPath: new Counter({ name: "inkwell_sign_fast_path_total", help: "Sign-form POSTs run ahead of Remix, by who sent the answer", labelNames: ["answered_by"], registers }),
    jobDuration: new Histogram({
      name: "inkwell_job_duration_seconds", help: "Job processing time", labelNames: ["queue", "job", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300], registers,
    }),
    jobWait: new Histogram({
      name: "inkwell_job_wait_seconds", help: "Time from enqueue (or end of delay) to start", labelNames: ["queue", "job"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800], registers,
    }),
    httpDuration: new Histogram({
      name: "inkwell_http_request_duration_seconds", help: "HTTP request duration", labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers,
    }),
  };
}

// One set per process even when the Remix bundle carries its own copy of this module.
const globalForMetrics = globalThis as unknown as { __inkwellMetrics?: ReturnType<typeof createMetrics> };
const metrics = (globalForMetrics.__inkwellMetrics ??= createMetrics());

/** Every metric of this process, in one Prometheus registry (web and worker alike). */
export const registry = metrics.registry;
/** Emails that SMTP accepted, by kind (a delivery batch counts once, whatever its parts). */
export const emailsSent = metrics.emailsSent;
/** Email jobs that failed: `temporary` ones are retried with backoff, `permanent` ones are not. */
export const emailsFailed = metrics.emailsFailed;
/** Signatures accepted (committed, supporter sent to "check your email"); rate() gives signatures per second. */
export const signaturesAccepted = metrics.signaturesAccepted;
/** Sign-form POSTs the fast path ran: answered there ("fast") or handed to Remix to render ("remix"). */
export const signFastPath = metrics.signFastPath;
export const hotReads = metrics.hotReads;
/** Kept campaign pages checked against their data on expiry: "unchanged" (kept on, not rendered) or "changed" (rendered again). */
export const pageChecks = metrics.pageChecks;
export const confirmFastPath = metrics.confirmFastPath;
/** How long a job ran, by queue, job name and outcome. */
export const jobDuration = metrics.jobDuration;
/** How long a job waited in its queue before a worker took it (after any delay it was given). */
export const jobWait = metrics.jobWait;
/** HTTP request duration by method, route pattern (never the raw path) and status. */
export const httpDuration = metrics.httpDuration;

type QueueSource = () => Queue[];
const globalForQueueSource = globalThis as unknown as { __inkwellQueueSource?: QueueSource };

/** Tells the queue-depth gauge which queues to read at scrape time. */
export function setQueueSource(source: QueueSource | null): void {
  globalForQueueSource.__inkwellQueueSource = source ?? undefined;
}

const STATES = ["waiting", "active", "delayed", "failed"] as const;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}

if (!registry.getSingleMetric("inkwell_queue_jobs")) new Gauge({
  name: "inkwell_queue_jobs", help: "Jobs per queue and state, read at scrape time", labelNames: ["queue", "state"], registers: [registry],
  async collect() {
    this.reset();
    // A Redis that is down leaves the gauge empty rather than stalling the scrape.
    await Promise.all((globalForQueueSource.__inkwellQueueSource?.() ?? []).map(async (q) => {
      const counts = await within(q.getJobCounts(...STATES, "prioritized"), 1_000).catch(() => null);
      if (!counts) return;
      for (const state of STATES) this.set({ queue: q.name, state }, (counts[state] ?? 0) + (state === "waiting" ? (counts.prioritized ?? 0) : 0));
    }));
  },
});

function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

/**
 * Whether a scrape may read the metrics: with METRICS_TOKEN set, only with `Bearer <token>`;
 * without it, only from loopback.
 */
export function metricsAllowed(remoteAddress: string | undefined, authorization: string | undefined, token = env().METRICS_TOKEN): boolean {
  if (!token) return isLoopback(remoteAddress);
  const given = Buffer.from(authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A bare HTTP listener serving GET /metrics (the worker's, on METRICS_PORT). */
export async function serveMetrics(port: number, host = "0.0.0.0"): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    if (!metricsAllowed(req.socket.remoteAddress, req.headers.authorization)) {
      res.writeHead(403, { "Content-Type": "text/plain" }).end("Forbidden.");
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** Which jobs send email, and of what kind (a job that sends email names itself here). */
export const EMAIL_JOBS: Record<string, EmailKind> = {
  "send-confirmation": "confirmation",
  "send-batch": "delivery",
  "send-update": "update",
  "send-delivery-notice": "notice",
  "send-privacy-link": "privacy",
};

const seconds = (from: number | undefined, to: number | undefined) => (from && to && to >= from ? (to - from) / 1000 : null);

/** Records wait and run times of a worker's jobs, and counts the emails its jobs sent or failed to send. */
export function instrumentWorker(worker: Worker, queue: string): void {
  worker.on("active", (job: Job) => {
    const waited = seconds(job.timestamp + (job.opts.delay ?? 0), job.processedOn);
    if (waited !== null) jobWait.observe({ queue, job: job.name }, waited);
  });
  worker.on("completed", (job: Job, result: unknown) => {
    const ran = seconds(job.processedOn, job.finishedOn ?? Date.now());
    if (ran !== null) jobDuration.observe({ queue, job: job.name, outcome: "completed" }, ran);
    const kind = EMAIL_JOBS[job.name];
    if (kind && result === "sent") emailsSent.inc({ kind });
    // A job may settle a refused email itself (recording why) rather than fail: that is a final failure.
    else if (kind && typeof result === "object" && result !== null && "failed" in result) emailsFailed.inc({ kind, failure: "permanent" });
  });
  worker.on("failed", (job: Job | undefined, err: Error) => {
    if (!job) return;
    const ran = seconds(job.processedOn, job.finishedOn ?? Date.now());
    if (ran !== null) jobDuration.observe({ queue, job: job.name, outcome: "failed" }, ran);
    const kind = EMAIL_JOBS[job.name];
    const final = err instanceof UnrecoverableError || err.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (kind) emailsFailed.inc({ kind, failure: final ? "permanent" : "temporary" });
  });
}
