/** A page's HTML without its scripts, so a message found is one the page shows, not one in Remix's data. */
export function shown(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
}
