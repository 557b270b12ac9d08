import { spawn, type ChildProcess } from "node:child_process";
import getPort from "get-port";
import { redisUp } from "#server/services";

export interface OwnRedis {
  url: string;
  port: number;
  /** Kills the server at once, as a crash would (its data is gone: no persistence). */
  kill(): Promise<void>;
  /** Starts a fresh, empty server on the same port. */
  restart(): Promise<void>;
}

/**
 * A redis-server of a test's own on a free loopback port, so a test can take Redis away without
 * touching the shared one. Started without persistence, like a Redis that loses everything.
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await getPort({ host: "127.0.0.1" });
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (!(await redisUp(url, 500))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await start();
  return {
    url,
    port,
    async kill() {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGKILL");
      await exited;
    },
    restart: start,
  };
}
