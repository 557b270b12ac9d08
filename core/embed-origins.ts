/**
 * Partner origins allowed to frame a campaign's actions. An origin is a scheme, a host and an
 * optional port, nothing else: https everywhere, plain http only on loopback outside production
 * (a partner's page during development, and the tests).
 */
export const MAX_EMBED_ORIGINS = 20;

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The origin as stored (lower-case, no default port), or why it cannot be one. */
export function parseEmbedOrigin(value: string, allowLoopbackHttp: boolean): { origin: string } | { problem: string } {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `“${text}” is not a web address. Write it like https://partner.example.org.` };
  }
  const bare = `${url.protocol}//${url.host}`;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "") || text.replace(/\/$/, "").toLowerCase() !== bare) {
    return { problem: `“${text}” has more than an origin: keep only the scheme and host, like ${bare}.` };
  }
  const loopbackHttp = url.protocol === "http:" && LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !(allowLoopbackHttp && loopbackHttp)) return { problem: `“${text}” must start with https://.` };
  if (url.protocol === "https:" && !HOST.test(url.hostname)) return { problem: `“${text}” does not name a host a partner page can live on.` };
  return { origin: bare };
}

/** Reads the workspace field (one origin a line, or separated by spaces or commas). */
export function parseEmbedOriginList(text: string, allowLoopbackHttp: boolean): { origins: string[] } | { problem: string } {
  const origins: string[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const parsed = parseEmbedOrigin(part, allowLoopbackHttp);
    if ("problem" in parsed) return parsed;
    if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
  }
  if (origins.length > MAX_EMBED_ORIGINS) return { problem: `List at most ${MAX_EMBED_ORIGINS} sites.` };
  return { origins };
}

/** How a signature made inside a partner's frame records its source: `embed:` and the partner's host. */
export function embedSource(origin: string): string {
  return `embed:${new URL(origin).host.replace(/[[\]]/g, "")}`;
}
