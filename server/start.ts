import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { freezeEnv, parseEnvOrExit } from "#core/env";
import { log } from "#core/logger";
import { exitWhenStopped, startPlatform, stopOnSignals } from "./platform";

// `npm start` runs web and worker together; --web or --worker runs one of them. With
// WEB_CONCURRENCY above 1 the web server runs in that many forked processes sharing the port
// (one per core by default in production), and this process only supervises them (and runs the
// worker, if asked).
const env = parseEnvOrExit();
freezeEnv();
const args = new Set(process.argv.slice(2));
const only = args.has("--web") !== args.has("--worker");
const web = !only || args.has("--web");
const worker = !only || args.has("--worker");

function webConcurrency(): number {
  return env.WEB_CONCURRENCY ?? (env.NODE_ENV === "production" ? availableParallelism() : 1);
}

if (cluster.isWorker) {
  // The supervisor runs the one demo mail sink; every web process reads the same mailbox folder.
  stopOnSignals(await startPlatform({ web: true, worker: false, port: env.PORT, host: env.HOST, mailSink: false }));
} else if (web && webConcurrency() > 1) {
  await supervise(webConcurrency());
} else {
  const platform = await startPlatform({ web, worker, port: env.PORT, host: env.HOST });
  stopOnSignals(platform);
  if (platform.url) console.log(`Inkwell is running at ${env.APP_URL}`);
}

async function supervise(processes: number) {
  let stopping = false;
  // The worker and the demo mail sink start before the web processes, so a port in use fails once, here.
  const platform = await startPlatform({ web: false, worker, port: env.PORT, mailSink: true });
  const fork = () => cluster.fork();
  const served = new Set<number>();
  cluster.on("exit", (child, code, signal) => {
    if (stopping) return;
    if (!served.has(child.id)) {
      // It died before it ever listened: another would die the same way, so stop instead of looping.
      log.error("web process failed to start; stopping", { pid: child.process.pid, code, signal });
      stop("SIGTERM", 1);
      return;
    }
    log.error("web process died; starting another", { pid: child.process.pid, code, signal });
    fork();
  });
  const ready = new Promise<void>((resolve) =>
    cluster.on("listening", (child) => {
      served.add(child.id);
      if (served.size === processes) resolve();
    }),
  );
  for (let i = 0; i < processes; i++) fork();
  await ready;
  console.log(`Inkwell is running at ${env.APP_URL} (${processes} web processes)`);

  function stop(signal: NodeJS.Signals, code = 0) {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal, processes });
    const children = Object.values(cluster.workers ?? {}).filter((c) => c !== undefined);
    const exited = children.map((c) => new Promise<void>((resolve) => (c.isDead() ? resolve() : c.once("exit", () => resolve()))));
    for (const c of children) c.process.kill("SIGTERM");
    const running = () => {
      const pids = children.filter((c) => !c.isDead()).map((c) => c.process.pid);
      return pids.length ? `web processes ${pids.join(" ")}` : "";
    };
    exitWhenStopped(signal, platform, Promise.all([...exited, platform.stop()]), code, running);
  }
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
