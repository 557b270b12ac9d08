import http from "node:http";

/** What a request got back, measured: status, size of the whole answer, time to the last byte. */
export interface RawAnswer {
  status: number;
  bytes: number;
  ms: number;
  text: string;
}

export interface RawRequest {
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * A request sent byte for byte as given (fetch refuses TRACE and rewrites odd bodies). A request
 * that gets no answer within `timeoutMs` comes back as status 0, so a stall fails the assertion
 * instead of hanging the test.
 */
export function rawRequest(base: string, path: string, req: RawRequest, timeoutMs = 60_000): Promise<RawAnswer> {
  const url = new URL(base);
  const started = performance.now();
  return new Promise((resolve) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, "latin1");
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (body) headers["Content-Length"] = String(body.length);
    const request = http.request({ host: url.hostname, port: url.port, path, method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
        // Enough of the answer to find its message below a page head (meta tags, share cards).
        if (bytes <= 32_768) chunks.push(c);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", () => resolve({ status: 0, bytes, ms: performance.now() - started, text: "" }));
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error("timeout")));
    request.on("error", (err) => resolve({ status: 0, bytes: 0, ms: performance.now() - started, text: err.message }));
    request.end(body);
  });
}

export interface HostileCase {
  name: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function multipart(parts: [string, string][], boundary = "inkwellHostile"): string {
  return parts.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${boundary}--\r\n`;
}

/**
 * The worst bodies, keys, content types and methods a client can send within the body limit of
 * `limit` bytes: huge array indexes, unknown keys, thousands of fields, deep nesting, over-long
 * values, malformed UTF-8 and %-escapes, every content type, odd methods. `prefix` is prepended to
 * every form (e.g. `csrf=…&` so a workspace form gets as far as it can).
 */
export function hostileCases(limit: number, prefix = ""): HostileCase[] {
  const room = limit - prefix.length - 64;
  const repeat = (unit: string) => unit.repeat(Math.floor(room / unit.length));
  const form = (name: string, body: string | Buffer): HostileCase => ({ name, method: "POST", headers: FORM, body: typeof body === "string" ? prefix + body : Buffer.concat([Buffer.from(prefix), body]) });
  const cases: HostileCase[] = [
    form("a huge index on a list field", "targets[30000000]=2"),
    form("a huge index on a plain field", "name[99999999]=x"),
    form("a huge index on an unknown field", "zz[2000000]=1"),
    form("huge indexes on every kind of field", "ids[9999999]=1&targetIds[8000000]=1&email[7000000]=a&intent[6000000]=x"),
    form("thousands of distinct fields", Array.from({ length: Math.min(8_000, Math.floor(room / 12)) }, (_, i) => `f${i}=1`).join("&")),
    form("thousands of one list field", repeat("targets=1&")),
    form("thousands of indexes of one list field", Array.from({ length: Math.min(5_000, Math.floor(room / 16)) }, (_, i) => `targets[${i}]=1`).join("&")),
    form("deep nesting", `a${"[0]".repeat(Math.min(5_000, Math.floor(room / 3)))}=1`),
    form("deep dotted nesting", `a${".a".repeat(Math.min(5_000, Math.floor(room / 2)))}=1`),
    form("mixed nesting", `name${"[0].b".repeat(Math.min(2_000, Math.floor(room / 6)))}=1`),
    form("an over-long value", `name=${"x".repeat(room)}`),
    form("an over-long key", `${"k".repeat(room)}=1`),
    form("nothing but separators", "&".repeat(room)),
    form("nothing but equals signs", "=".repeat(room)),
    form("malformed %-escapes", "%E0%A4%A=%ff%fe%&name=%C0%AF&email=%&%%=%zz&comment=%ED%A0%80"),
    form("malformed UTF-8", Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x26, 0xf5, 0x3d, 0x31])),
    form("prototype keys", "__proto__[polluted]=1&constructor[prototype][x]=1&__proto__=x"),
    { name: "JSON", method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ targets: Array(2_000).fill(1), name: "x" }) },
    { name: "plain text", method: "POST", headers: { "Content-Type": "text/plain" }, body: "name=Ana\r\nemail=a@b.c" },
    { name: "XML", method: "POST", headers: { "Content-Type": "application/xml" }, body: "<a><b>1</b></a>" },
    { name: "a body without a content type", method: "POST", headers: {}, body: "name=Ana" },
    { name: "a form in UTF-16", method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-16" }, body: Buffer.from("name=Ana", "utf16le") },
    { name: "multipart without a boundary", method: "POST", headers: { "Content-Type": "multipart/form-data" }, body: "name=Ana" },
    { name: "broken multipart", method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=xyz" }, body: "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated" },
    { name: "multipart with a huge index", method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=inkwellHostile" }, body: multipart([...new URLSearchParams(prefix)].concat([["targets[30000000]", "2"]]) as [string, string][]) },
    {
      name: "multipart with thousands of parts",
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=inkwellHostile" },
      body: multipart(Array.from({ length: Math.floor(room / 80) }, (_, i) => [`f${i}`, "1"] as [string, string])),
    },
    { name: "an empty POST", method: "POST", headers: {} },
  ];
  for (const method of ["TRACE", "TRACK", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "FOO"]) cases.push({ name: `${method}`, method, headers: FORM, body: method === "TRACE" ? undefined : `${prefix}name=x` });
  return cases.map((c) => ({ ...c, body: c.body !== undefined && Buffer.byteLength(c.body) > limit ? Buffer.from(c.body).subarray(0, limit) : c.body }));
}

/**
 * Asks /healthz every `everyMs` until stopped; reports the slowest answer and any that failed. The
 * platform runs in the test's own process, so a request that blocks the event loop shows here.
 */
export function watchHealth(base: string, everyMs = 50) {
  let slowest = 0;
  let failures = 0;
  let answers = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await rawRequest(base, "/healthz", { method: "GET" }, 30_000);
      answers += 1;
      slowest = Math.max(slowest, r.ms);
      if (r.status !== 200) failures += 1;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { slowest, failures, answers };
    },
  };
}
