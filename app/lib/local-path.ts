const BASE = "http://local.invalid";

/** Decodes %-escapes, or returns the text unchanged when it holds a malformed one. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// "//host" and "/\host" leave the site in a browser; so does either of them after one more decoding.
const leavesSite = (path: string) => /^[/\\][/\\]/.test(path) || /^[/\\][/\\]/.test(decoded(path));

/**
 * A user-supplied return address (`next`, `back`, …) as a path on this site, or `fallback`.
 * It is read the way a browser reads a Location header (tabs and line breaks dropped, "\" as "/",
 * dot segments resolved), and anything that would then name another host, in any spelling, is refused.
 */
export function localPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  const trimmed = value.trim();
  if (!/^[/\\]/.test(trimmed) || leavesSite(trimmed.replace(/[\t\n\r]/g, ""))) return fallback;
  let url: URL;
  try {
    url = new URL(trimmed, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || leavesSite(url.pathname)) return fallback;
  const path = url.pathname + url.search + url.hash;
  // What we answer must read the same way again: a second reading may not move it anywhere else.
  const again = new URL(path, BASE);
  return again.origin === BASE && again.pathname + again.search + again.hash === path ? path : fallback;
}
