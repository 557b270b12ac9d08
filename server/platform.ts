import { createServer, type Server } from "node:http";
import type { SMTPServer } from "smtp-server";
import { closeDb, db } from "#db/client";
import { isDemoMode } from "#emails/config";
import { env as emailsEnv } from "#core/env";
import { closeMailer } from "#emails/mailer";
import { closeProducerConnection } from "#core/redis";
import { log } from "#core/logger";
import { serveMetrics } from "#core/metrics";
import { env as opsEnv } from "#core/env";
import { closeQueues } from "#jobs/queues";
import { startWorkers, type RunningWorkers, type WorkerOptions } from "#jobs/worker";
import { env as inboundEnv } from "#core/env";
import { startInboundSmtp } from "#jobs/inbound/smtp-listener";
import { startMailSink } from "./demo-mail";

export interface PlatformOptions {
  web: boolean;
  worker: boolean;
  port: number;
  host?: string;
  /** Start the demo mail sink here, in demo mode (default: with the web server; one per machine). */
  mailSink?: boolean;
  workerOptions?: WorkerOptions;
}

export interface Platform {
  url: string | null;
  stop(): Promise<void>;
  /** What stop() is waiting on ("" before it starts and once it is done), for a shutdown that overruns. */
  stopping(): string;
}

/** Starts the web server and/or the worker in this process (and the mail sink in demo mode). */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  let sink: SMTPServer | undefined;
  let inboundSmtp: SMTPServer | undefined;
  let server: Server | undefined;
  let workers: RunningWorkers | undefined;
  let metrics: Server | undefined;
  let url: string | null = null;
  let step = "";

  if ((options.mailSink ?? options.web) && isDemoMode()) {
    const env = emailsEnv();
    sink = await startMailSink(env.DEMO_SMTP_PORT, env.MAILBOX_DIR).catch((err: NodeJS.ErrnoException) => {
      throw err.code === "EADDRINUSE" ? new Error(`DEMO_SMTP_PORT: port ${env.DEMO_SMTP_PORT} is already in use (another demo running?); set DEMO_SMTP_PORT to a free port.`) : err;
    });
  }
  if (options.web) {
    // Loaded only by processes that serve HTTP: a worker never loads Express, Remix or the web routes.
    const { createWebHandler, loadBuild } = await import("./web");
    const handler = createWebHandler(await loadBuild());
    server = await new Promise<Server>((resolve, reject) => {
      const s = createServer(handler).listen(options.port, options.host ?? "0.0.0.0", () => resolve(s));
      s.once("error", reject);
    });
    server.keepAliveTimeout = 65_000;
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : options.port;
    url = `http://127.0.0.1:${port}`;
    log.info("web listening", { port });
  }
  if (options.worker) workers = await startWorkers(db(), options.workerOptions);
  // Bounces, complaint reports and officials' replies come in through the worker, when a port is set.
  const inbound = inboundEnv();
  if (options.worker && inbound.INBOUND_SMTP_PORT !== undefined) {
    inboundSmtp = await startInboundSmtp(db(), { port: inbound.INBOUND_SMTP_PORT, host: inbound.INBOUND_SMTP_HOST, maxBytes: inbound.INBOUND_MAX_BYTES });
  }
  // A worker has no web server to be scraped through: with METRICS_PORT it gets a listener of its own.
  const metricsPort = opsEnv().METRICS_PORT;
  if (options.worker && metricsPort !== undefined) {
    metrics = await serveMetrics(metricsPort);
    log.info("metrics listening", { port: metricsPort });
  }

  return {
    url,
    stopping: () => step,
    async stop() {
      const at = (what: string) => (step = what);
      if (server) {
        at("web server: open connections");
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        // close() only drops connections idle at that moment; one whose response was still being
        // written stays open for keepAliveTimeout (65 s) unless it is dropped once that response ends.
        const sweep = setInterval(() => server!.closeIdleConnections(), 100);
        await closed;
        clearInterval(sweep);
      }
      at("metrics listener");
      if (metrics) await new Promise<void>((resolve) => metrics!.close(() => resolve()));
      at("inbound SMTP sessions");
      if (inboundSmtp) await new Promise<void>((resolve) => inboundSmtp!.close(() => resolve()));
      at("running jobs");
      await workers?.close();
      at("queues");
      await closeQueues();
      at("Redis");
      await closeProducerConnection();
      closeMailer();
      at("demo mail sink sessions");
      if (sink) await new Promise<void>((resolve) => sink!.close(() => resolve()));
      at("database pool");
      await closeDb();
      at("");
    },
  };
}

/**
 * Exits with `code` once `stopped` settles, or with 1 when it fails or takes longer than 30 s,
 * logging which of the platform's steps it was on (and `running()`, what else it still waits for).
 */
export function exitWhenStopped(signal: string, platform: Platform, stopped: Promise<unknown>, code = 0, running: () => string = () => ""): void {
  const timer = setTimeout(() => {
    log.error("shutdown overran 30 s; exiting", { signal, waitingOn: platform.stopping(), running: running() || undefined });
    process.exit(1);
  }, 30_000);
  timer.unref();
  stopped.then(
    () => process.exit(code),
    (err: Error) => {
      log.error("shutdown failed", { signal, step: platform.stopping(), err: err.message });
      process.exit(1);
    },
  );
}

/** Stops the platform on SIGTERM / SIGINT, letting running jobs and requests finish. */
export function stopOnSignals(platform: Platform): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    exitWhenStopped(signal, platform, platform.stop());
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
