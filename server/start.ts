import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { parseEnvOrExit } from "#core/env";
import { log } from "#core/logger";
import { startPlatform, stopOnSignals } from "./platform";

// `npm start` runs web and worker together; --web or --worker runs one of them. With
// WEB_CONCURRENCY above 1 the web server runs in that many forked processes sharing the port
// (one per core by default in production), and this process only supervises them (and runs the
// worker, if asked).
const env = parseEnvOrExit();
const args = new Set(process.argv.slice(2));
const only = args.has("--web") !== args.has("--worker");
const web = !only || args.has("--web");
const worker = !only || args.has("--worker");

function webConcurrency(): number {
  return env.WEB_CONCURRENCY ?? (env.NODE_ENV === "production" ? availableParallelism() : 1);
}

if (cluster.isWorker) {
  stopOnSignals(await startPlatform({ web: true, worker: false, port: env.PORT }));
} else if (web && webConcurrency() > 1) {
  await supervise(webConcurrency());
} else {
  const platform = await startPlatform({ web, worker, port: env.PORT });
  stopOnSignals(platform);
  if (platform.url) console.log(`Inkwell is running at ${env.APP_URL}`);
}

async function supervise(processes: number) {
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on("exit", (child, code, signal) => {
    if (stopping) return;
    log.error("web process died; starting another", { pid: child.process.pid, code, signal });
    fork();
  });
  let listening = 0;
  const ready = new Promise<void>((resolve) => cluster.on("listening", () => ++listening === processes && resolve()));
  for (let i = 0; i < processes; i++) fork();
  const platform = worker ? await startPlatform({ web: false, worker: true, port: env.PORT }) : undefined;
  await ready;
  console.log(`Inkwell is running at ${env.APP_URL} (${processes} web processes)`);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal, processes });
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    const children = Object.values(cluster.workers ?? {}).filter((c) => c !== undefined);
    const exited = children.map((c) => new Promise<void>((resolve) => (c.isDead() ? resolve() : c.once("exit", () => resolve()))));
    for (const c of children) c.process.kill("SIGTERM");
    Promise.all([...exited, platform?.stop()]).then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
