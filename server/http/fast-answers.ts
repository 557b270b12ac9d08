import type { IncomingMessage } from "node:http";

// What the fast paths ahead of Remix (sign, confirm) share: reading a bounded body once, and
// answering a redirect the way Remix answers it to its own client.

/** The request body, or null when it holds more than `limit` bytes (the rest is read and dropped). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= limit ? Buffer.concat(chunks, size) : null));
    req.on("error", reject);
  });
}

/** Remix's answer to a data request that ended in a redirect: 204, the target in X-Remix-Redirect. */
export function dataRedirect(redirect: globalThis.Response): globalThis.Response {
  const headers = new Headers(redirect.headers);
  headers.set("X-Remix-Redirect", headers.get("Location") ?? "/");
  headers.set("X-Remix-Status", String(redirect.status));
  headers.delete("Location");
  if (redirect.headers.get("Set-Cookie") !== null) headers.set("X-Remix-Revalidate", "yes");
  return new Response(null, { status: 204, headers });
}
