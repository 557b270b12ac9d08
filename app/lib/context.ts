declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the server sees it (after trusted proxies); hashed before storage. */
    clientIp: string;
    /** A fresh random nonce for this response's Content-Security-Policy. */
    cspNonce?: string;
    /**
     * Set when the web server's sign fast path already ran `handleSign` for this request and left
     * the answer to Remix: what it returned or threw, replayed by `handleSign` instead of run twice.
     */
    signOutcome?: { returned: Response } | { thrown: unknown };
    /** Given by the page cache: the public campaign page's loader tells it what the page is rendered from. */
    keptPageVersion?: (version: string) => void;
  }
}
export {};
