import type MarkdownIt from "markdown-it";

/**
 * Whether an image address may be shown: an https address on a listed host, an address on the
 * site itself (`siteOrigin`), or a path on the site when `allowPaths` (pages; an email has no site to resolve it against).
 */
export function isAllowedImage(src: string, hosts: readonly string[], { siteOrigin, allowPaths = false }: { siteOrigin?: string; allowPaths?: boolean } = {}): boolean {
  const s = src.trim();
  if (allowPaths && /^\/(?![/\\])/.test(s) && !/[\t\n\r]/.test(s)) return true;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  if (siteOrigin && url.origin === siteOrigin) return true;
  return url.protocol === "https:" && url.port === "" && url.username === "" && hosts.includes(url.hostname.toLowerCase());
}

/** Makes a markdown-it renderer drop every image `allowed` refuses (nothing of it is rendered, so nothing loads). */
export function dropUnlistedImages(md: MarkdownIt, allowed: (src: string) => boolean): void {
  const render = md.renderer.rules.image ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.image = (tokens, idx, options, env, self) => (allowed(tokens[idx]!.attrGet("src") ?? "") ? render(tokens, idx, options, env, self) : "");
}
