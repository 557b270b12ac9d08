import autocannon from "autocannon";

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface HttpFigures {
  rps: Spread;
  p50: Spread;
  p99: Spread;
  /** Requests per second of each round, in the order the rounds ran (round r of one load beside round r of another). */
  rounds: number[];
  /** Responses whose status was not the one expected, over all runs. */
  unexpected: number;
}

export interface Load {
  url: string;
  connections: number;
  seconds: number;
  /** The status every response must have (200 for pages, 302 for a sign POST). */
  status: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** A fresh request body per request, e.g. a form with a distinct email. */
  body?: () => string;
  /** A fresh path per request, e.g. a confirmation link never used before. */
  path?: () => string;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

/** One autocannon run: requests per second, p50 and p99 latency (ms), and how many responses had the wrong status. */
export async function drive(load: Load) {
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    method: load.method ?? "GET",
    headers: load.headers,
    requests: [{
      setupRequest: (req) => ({ ...req, ...(load.body ? { body: load.body() } : {}), ...(load.path ? { path: load.path() } : {}) }),
    }],
  });
  const expected = result.statusCodeStats?.[String(load.status) as `${number}`]?.count ?? 0;
  const total = Object.values(result.statusCodeStats ?? {}).reduce((sum, s) => sum + (s.count ?? 0), 0);
  return {
    rps: expected / load.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: total - expected + result.errors,
  };
}

/** Rounds each measured comparison runs (median of them); BENCH_ROUNDS changes it. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/**
 * Measures several loads against each other on a busy machine: each is warmed up, then they run
 * in short rounds one after another, the order turning each round, so a burst of other work on the
 * machine falls on all of them alike. The median, min and max of each figure per load.
 */
export async function compare(loads: Load[], rounds = ROUNDS): Promise<HttpFigures[]> {
  for (const load of loads) await drive({ ...load, seconds: Math.min(2, load.seconds) });
  const results: Awaited<ReturnType<typeof drive>>[][] = loads.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < loads.length; k++) {
      const i = (k + r) % loads.length;
      results[i]!.push(await drive(loads[i]!));
    }
  }
  return results.map((runs) => ({
    rps: spread(runs.map((x) => x.rps)),
    p50: spread(runs.map((x) => x.p50)),
    p99: spread(runs.map((x) => x.p99)),
    rounds: runs.map((x) => x.rps),
    unexpected: runs.reduce((sum, x) => sum + x.unexpected, 0),
  }));
}

/** `runs` runs of the same load after a short warm-up; the median, min and max of each figure. */
export async function measure(load: Load, runs = 3): Promise<HttpFigures> {
  await drive({ ...load, seconds: 2 });
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await drive(load));
  return {
    rps: spread(results.map((r) => r.rps)),
    p50: spread(results.map((r) => r.p50)),
    p99: spread(results.map((r) => r.p99)),
    rounds: results.map((r) => r.rps),
    unexpected: results.reduce((sum, r) => sum + r.unexpected, 0),
  };
}
