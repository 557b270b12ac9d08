import { createHmac } from "node:crypto";
import { lookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** The most of a response body kept in the log. */
export const EXCERPT_BYTES = 512;

/** True for an address on the public internet: not loopback, private, link-local, CGNAT, multicast, reserved, … */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === "unicast";
}

/**
 * Why a URL cannot be an endpoint, or null. HTTPS only (plain HTTP too when private addresses are
 * allowed, in tests); no credentials in it; a literal address must be public unless allowed.
 */
export function endpointUrlProblem(value: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full address, like https://crm.example.org/hooks/inkwell.";
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) return "The address must start with https://.";
  if (url.username || url.password) return "Leave user names and passwords out of the address.";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && (ipaddr.isValid(host) ? !isPublicAddress(host) : host === "localhost" || host.endsWith(".localhost"))) {
    return "The address must be on the public internet.";
  }
  return null;
}

/** Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the secret's bytes. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

export interface SendResult {
  ok: boolean;
  status: number | null;
  excerpt: string;
}

// Resolves as the system does, then refuses the connection unless every address is public: the
// check runs at connection time, on the addresses actually used, so a name that changes its
// answer after registration (DNS rebinding) cannot point a delivery inside the network.
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = list.find((a) => !allowPrivate && !isPublicAddress(a.address));
      if (bad || list.length === 0) return callback(Object.assign(new Error("the endpoint resolves to a non-public address"), { code: "ENONPUBLIC" }), "", 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * POSTs one signed delivery. Redirects are not followed (a 3xx is a failure), the whole exchange
 * is bounded by `timeoutMs`, and at most EXCERPT_BYTES of the answer are read.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number; allowPrivate: boolean }): Promise<SendResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const literal = target.hostname.replace(/^\[|\]$/g, "");
    if (ipaddr.isValid(literal) && !options.allowPrivate && !isPublicAddress(literal)) {
      return resolve({ ok: false, status: null, excerpt: "refused: the endpoint is not on a public address" });
    }
    const client = target.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "User-Agent": "Inkwell-Webhooks/1" },
        lookup: guardedLookup(options.allowPrivate),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const status = res.statusCode ?? 0;
          finish({ ok: status >= 200 && status < 300, status, excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8") });
        };
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) done();
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => finish({ ok: false, status: null, excerpt: `timed out after ${options.timeoutMs} ms` }), options.timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, status: null, excerpt: err.code === "ENONPUBLIC" ? "refused: the endpoint resolves to a non-public address" : `connection failed: ${err.code ?? err.message}` }));
    req.end(body);
  });
}
