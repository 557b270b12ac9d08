import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keptRead, sharedRead } from "#app/lib/public-cache.server";

// The hot read path sends what this process already holds. When the held value has just expired
// it is sent for one interval more while a single read fetches the next, so no request waits on
// Postgres because a second has passed; beyond that, or after a failed read, nothing is held and
// the request reads (and waits) as usual. The clock is the only thing faked here.

const INTERVAL = 1_000;
const cacheGlobals = globalThis as unknown as { __inkwellPublicCache?: Map<string, unknown>; __inkwellPublicCacheMs?: number };

/** A loader whose reads stay pending until `settle` is called, so each state can be looked at. */
function loader() {
  const pending: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const load = vi.fn(() => new Promise<string>((resolve, reject) => pending.push({ resolve, reject })));
  return { load, settle: (v: string) => pending.shift()!.resolve(v), fail: () => pending.shift()!.reject(new Error("postgres away")) };
}
const settled = () => new Promise((r) => setImmediate(r));

/** Reads "one" into the cache, then moves the clock just past its interval, where it is still sent. */
async function readThenExpire({ load, settle }: ReturnType<typeof loader>) {
  const first = sharedRead("k", load);
  settle("one");
  await first;
  vi.setSystemTime(INTERVAL + 1);
  expect(keptRead("k", load)).toBe("one");
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(0);
  cacheGlobals.__inkwellPublicCacheMs = INTERVAL;
  cacheGlobals.__inkwellPublicCache = new Map();
});
afterEach(() => {
  vi.useRealTimers();
  delete cacheGlobals.__inkwellPublicCacheMs;
  delete cacheGlobals.__inkwellPublicCache;
});

describe("a kept public read", () => {
  it("holds nothing before the first read has finished", async () => {
    const { load, settle } = loader();
    expect(keptRead("k", load)).toBeUndefined();
    const first = sharedRead("k", load);
    expect(keptRead("k", load)).toBeUndefined();
    settle("one");
    expect(await first).toBe("one");
    expect(keptRead("k", load)).toBe("one");
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("sends the expired value while one read fetches the next, then the new one", async () => {
    const l = loader();
    const { load, settle } = l;
    await readThenExpire(l);
    expect(keptRead("k", load)).toBe("one");
    expect(load).toHaveBeenCalledTimes(2);
    settle("two");
    await settled();
    expect(keptRead("k", load)).toBe("two");
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("sends nothing older than two intervals: a read slower than that is waited for", async () => {
    const l = loader();
    const { load, settle } = l;
    await readThenExpire(l);
    vi.setSystemTime(2 * INTERVAL);
    expect(keptRead("k", load)).toBeUndefined();
    settle("two");
    await settled();
    expect(keptRead("k", load)).toBe("two");
  });

  it("holds nothing once a value has gone unread for two intervals", async () => {
    const { load, settle } = loader();
    const first = sharedRead("k", load);
    settle("one");
    await first;
    vi.setSystemTime(2 * INTERVAL);
    expect(keptRead("k", load)).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("bad input: a failed read leaves nothing held, so the next request reads again and sees the failure", async () => {
    const l = loader();
    const { load, fail } = l;
    await readThenExpire(l);
    fail();
    await settled();
    expect(keptRead("k", load)).toBeUndefined();
    const again = sharedRead("k", load);
    expect(load).toHaveBeenCalledTimes(3);
    fail();
    await expect(again).rejects.toThrow("postgres away");
  });
});
