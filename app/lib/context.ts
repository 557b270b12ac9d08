declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the server sees it (after trusted proxies); hashed before storage. */
    clientIp: string;
    /** A fresh random nonce for this response's Content-Security-Policy. */
    cspNonce?: string;
  }
}
export {};
