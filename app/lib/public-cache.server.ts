import { env } from "#core/env";

// Public pages and the count API are read far more often than they change. Within one process a
// result is shared for PUBLIC_CACHE_MS, and concurrent misses share one read, so a campaign page
// under any load costs Postgres at most one read per key per interval per process. Counts move in
// folds every two seconds anyway. Off (0) by default outside production, so tests see changes at once.
const MAX_KEYS = 1_000;

interface Entry {
  expires: number;
  value: Promise<unknown>;
  /** The value once the load has succeeded, for `keptRead`. */
  settled?: { value: unknown };
  /** While this entry's load runs: the value it replaces, which `keptRead` may still send until `until`. */
  previous?: { value: unknown; until: number };
}

const globalForCache = globalThis as unknown as { __inkwellPublicCache?: Map<string, Entry>; __inkwellPublicCacheMs?: number };

/** How long a public read (or a rendered public page) is shared, in milliseconds; 0 when off. */
export function publicCacheMs(): number {
  if (globalForCache.__inkwellPublicCacheMs !== undefined) return globalForCache.__inkwellPublicCacheMs;
  const { NODE_ENV: mode, PUBLIC_CACHE_MS: ms } = env();
  return (globalForCache.__inkwellPublicCacheMs = ms ?? (mode === "production" ? 1_000 : 0));
}

/** `load()`'s result for `key`, shared with other requests in this process for PUBLIC_CACHE_MS. */
export function sharedRead<T>(key: string, load: () => Promise<T>): Promise<T> {
  const ms = publicCacheMs();
  if (ms === 0) return load();
  const cache = (globalForCache.__inkwellPublicCache ??= new Map());
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  // Unknown slugs must not grow the map without bound.
  if (cache.size >= MAX_KEYS) cache.clear();
  const value = load();
  const previous = hit?.settled && hit.expires + ms > now ? { value: hit.settled.value, until: hit.expires + ms } : undefined;
  const entry: Entry = { expires: now + ms, value, previous };
  cache.set(key, entry);
  value.then(
    (settled) => {
      entry.settled = { value: settled };
      entry.previous = undefined;
    },
    () => cache.get(key) === entry && cache.delete(key),
  );
  return value;
}

/**
 * What `sharedRead(key, load)` can answer at once from this process's cache, without waiting: the
 * loaded value while it is fresh; once it has expired, the same value for one interval more while
 * `load` runs again (the first such call starts it, the rest share it), so a read never waits on
 * Postgres just because a second has passed. Undefined when nothing loaded is at hand: never read,
 * older than two intervals, or its last load failed. The caller then reads with `sharedRead`.
 */
export function keptRead<T>(key: string, load: () => Promise<T>): T | undefined {
  const hit = globalForCache.__inkwellPublicCache?.get(key);
  if (!hit) return undefined;
  const now = Date.now();
  if (hit.settled) {
    if (hit.expires > now) return hit.settled.value as T;
    if (hit.expires + publicCacheMs() <= now) return undefined;
    sharedRead(key, load).catch(() => undefined);
    return hit.settled.value as T;
  }
  return hit.previous && hit.previous.until > now ? (hit.previous.value as T) : undefined;
}
