import cluster from "node:cluster";
import type { Server } from "node:http";

/**
 * Runs `serve` in WEB_CONCURRENCY forked processes sharing PORT on loopback, like the real web
 * tier, and prints `ready` once every one listens. SIGTERM stops them all.
 */
export function serveInCluster(ready: string, serve: () => Server): void {
  const processes = Number(process.env.WEB_CONCURRENCY ?? 1);
  const port = Number(process.env.PORT);
  if (cluster.isPrimary && processes > 1) {
    let listening = 0;
    cluster.on("listening", () => ++listening === processes && console.log(ready));
    for (let i = 0; i < processes; i++) cluster.fork();
    process.on("SIGTERM", () => {
      const children = Object.values(cluster.workers ?? {}).filter((c) => c !== undefined);
      let left = children.length;
      for (const c of children) {
        c.once("exit", () => --left === 0 && process.exit(0));
        c.process.kill("SIGTERM");
      }
    });
    return;
  }
  serve().listen(port, "127.0.0.1", () => processes === 1 && console.log(ready));
  process.on("SIGTERM", () => process.exit(0));
}
