declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the server sees it (after trusted proxies); hashed before storage. */
    clientIp: string;
  }
}
export {};
