import { createReadableStreamFromReadable, createRequestHandler as createRemixHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";

// What @remix-run/express does, in our hands: the sign fast path (./sign-fast-path.ts) reads a
// form's body before it knows whether it will answer, and the Remix handler must then be given that
// body instead of the (already read) request stream. Request building and response sending are
// the adapter's own, line for line, so a page answered here is the page the adapter would send.

/** A body read ahead of Remix (by the sign fast path): Remix is given these bytes. */
export const BUFFERED_BODY = "bufferedBody";

/** The URL Remix sees: the adapter's rule (host and port from X-Forwarded-Host or Host, scheme from Express). */
export function remixUrl(req: Request): string {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const a = Number.parseInt(forwardedPort ?? "", 10);
  const b = Number.parseInt(hostPort ?? "", 10);
  const port = Number.isSafeInteger(a) ? a : Number.isSafeInteger(b) ? b : "";
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`).href;
}

function remixHeaders(incoming: Request["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(incoming)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

function remixRequest(req: Request, res: Response): globalThis.Request {
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const buffered = res.locals[BUFFERED_BODY] as Buffer | undefined;
    init.body = buffered ? (buffered as unknown as BodyInit) : (createReadableStreamFromReadable(req) as unknown as ReadableStream);
    init.duplex = "half";
  }
  // Loaders and actions are aborted if the client goes away before the answer is written.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(remixUrl(req), init);
}

/** Writes a Fetch Response to Express, as the adapter does. */
export async function sendRemixResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** The Express handler that answers with Remix. */
export function remixHandler(build: ServerBuild, loadContext: (req: Request, res: Response) => AppLoadContext) {
  const handle = createRemixHandler(build, process.env.NODE_ENV);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const response = await handle(remixRequest(req, res), loadContext(req, res));
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}
