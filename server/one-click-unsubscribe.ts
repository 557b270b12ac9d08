const UNSUBSCRIBE_PATH = /^\/unsubscribe\/[A-Za-z0-9_-]{1,100}$/;

/**
 * Whether a request is a one-click unsubscribe, judged on the path the router will see: the raw
 * URL read as Remix reads it (dot segments and their %-encodings resolved), so a path that only
 * starts with `/unsubscribe/` and climbs out of it is not mistaken for one.
 */
export function isOneClickUnsubscribe(originalUrl: string): boolean {
  try {
    return UNSUBSCRIBE_PATH.test(new URL(`http://inkwell.invalid${originalUrl}`).pathname);
  } catch {
    return false;
  }
}
