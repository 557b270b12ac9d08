import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { signFastPath } from "#core/metrics";
import { rawRequest } from "../support/hostile";
import { postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { ACTION_PATH, mailTo, rowCounts, SENT_PATH, signatureOf, supporter } from "../support/supporter";

// A valid sign POST is answered by Express ahead of Remix (server/http/sign-fast-path.ts); every
// other outcome is handed to Remix. SIGN_FAST_PATH=off sends everything through Remix. For each
// case the same request is made both ways, with and without JavaScript (Remix's client posts to
// `?index&_data=<route id>`), and the answers must match: status, headers (but for the date, the
// request id, the CSP nonce and the seconds left in Retry-After), cookies and page.

let p: TestPlatform;
beforeAll(async () => {
  // Four signatures from one IP per minute; from the third on one action, held for review.
  Object.assign(process.env, { RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: "4", SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: "2" });
  p = await startTestPlatform({ limits: true });
});
afterAll(async () => {
  process.env.SIGN_FAST_PATH = "on";
  await p?.stop();
});

const DATA_QUERY = `?index&_data=${encodeURIComponent("routes/campaigns.$slug.$action._index")}`;
const NOT_COMPARED = new Set(["date", "x-request-id", "keep-alive", "connection"]);

/** Supporters, signatures and consents (tokens are the worker's, written as it sends the emails). */
async function written() {
  const { supporters, signatures, consents } = await rowCounts(p.database.db);
  return { supporters, signatures, consents };
}

interface Answer { status: number; headers: Record<string, string>; cookies: string[]; body: string }

async function answer(res: Response): Promise<Answer> {
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (NOT_COMPARED.has(name) || name === "set-cookie") return;
    if (name === "retry-after") headers[name] = Number(value) > 0 ? "seconds" : value;
    else headers[name] = nonce ? value.replaceAll(nonce, "NONCE") : value;
  });
  const body = await res.text();
  return { status: res.status, headers, cookies: res.headers.getSetCookie(), body: nonce ? body.replaceAll(nonce, "NONCE") : body };
}

/** How many sign POSTs the fast path answered itself, and how many it handed to Remix. */
async function fastPathCounts() {
  const values = (await signFastPath.get()).values;
  const of = (by: string) => values.find((v) => v.labels.answered_by === by)?.value ?? 0;
  return { fast: of("fast"), remix: of("remix") };
}

/**
 * The same request through the fast path and through Remix alone; `by` says who must have
 * answered the first ("fast", "remix", or nobody when Express refused it before either).
 */
async function bothWays(js: boolean, fields: (way: string) => Record<string, string>, headers: Record<string, string>, by: "fast" | "remix" | "neither"): Promise<[Answer, Answer]> {
  const path = ACTION_PATH + (js ? DATA_QUERY : "?index");
  const result: Answer[] = [];
  const before = await fastPathCounts();
  for (const way of ["on", "off"]) {
    process.env.SIGN_FAST_PATH = way;
    result.push(await answer(await postSign(p.url, fields(way), path, headers)));
  }
  process.env.SIGN_FAST_PATH = "on";
  const after = await fastPathCounts();
  expect({ fast: after.fast - before.fast, remix: after.remix - before.remix }).toEqual({ fast: by === "fast" ? 1 : 0, remix: by === "remix" ? 1 : 0 });
  return [result[0]!, result[1]!];
}

describe.each([
  { js: false, ip: "192.0.2.10" },
  { js: true, ip: "192.0.2.20" },
])("sign POST, fast path and Remix alone, JavaScript $js", ({ js, ip }) => {
  const from = { "X-Forwarded-For": ip };
  const people: Record<string, { email: string }> = {};
  const person = (tag: string) => (way: string) => (people[`${tag}-${way}`] = supporter(`${tag}-${way}-${js ? "js" : "html"}`));

  it("answers a valid signature alike, and records each once, with its consents, before answering", async () => {
    const before = await written();
    const [fast, remix] = await bothWays(js, person("valid"), from, "fast");
    expect(fast).toEqual(remix);
    if (js) expect(fast).toMatchObject({ status: 204, headers: { "x-remix-redirect": SENT_PATH, "x-remix-status": "302" } });
    else expect(fast).toMatchObject({ status: 302, headers: { location: SENT_PATH } });
    expect(fast.headers).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
    const after = await written();
    // Two signatures by two new supporters, each with its privacy and no updates consent: nothing written twice.
    expect({ supporters: after.supporters - before.supporters, signatures: after.signatures - before.signatures, consents: after.consents - before.consents }).toEqual({ supporters: 2, signatures: 2, consents: 2 });
    for (const way of ["on", "off"]) {
      expect(await signatureOf(p.database.db, people[`valid-${way}`]!.email)).toMatchObject({ status: "pending", held_at: null });
      expect((await mailTo(p, people[`valid-${way}`]!.email)).text).toContain("/confirm/");
    }
  });

  it("answers an invalid form with the same page of errors, and writes nothing", async () => {
    const before = await written();
    const [fast, remix] = await bothWays(js, () => ({ name: "", email: "not-an-address", country: "PE" }), from, "remix");
    expect(fast).toEqual(remix);
    expect(fast.status).toBe(400);
    expect(fast.body).toContain(js ? "\"error\"" : "<form");
    expect(await written()).toEqual(before);
  });

  it("holds signatures past the per-IP threshold alike, saying nothing to the sender", async () => {
    const [fast, remix] = await bothWays(js, person("held"), from, "fast");
    expect(fast).toEqual(remix);
    expect(fast.status).toBe(js ? 204 : 302);
    for (const way of ["on", "off"]) expect((await signatureOf(p.database.db, people[`held-${way}`]!.email))!.held_at).not.toBeNull();
  });

  it("refuses past the per-IP limit with the same 429 page, and writes nothing", async () => {
    const before = await written();
    const [fast, remix] = await bothWays(js, person("limited"), from, "remix");
    expect(fast).toEqual(remix);
    expect(fast.status).toBe(429);
    expect(fast.headers["retry-after"]).toBe("seconds");
    expect(await written()).toEqual(before);
  });

  it("refuses a post another site makes alike, by Origin or by Sec-Fetch-Site, and writes nothing", async () => {
    const before = await written();
    const byOrigin = await bothWays(js, person("origin"), { "X-Forwarded-For": `${ip}1`, Origin: "https://elsewhere.example" }, "neither");
    expect(byOrigin[0]).toEqual(byOrigin[1]);
    expect(byOrigin[0].status).toBe(403);
    const byFetchSite = await bothWays(js, person("fetch-site"), { "X-Forwarded-For": `${ip}2`, "Sec-Fetch-Site": "cross-site" }, "remix");
    expect(byFetchSite[0]).toEqual(byFetchSite[1]);
    expect(byFetchSite[0].status).toBe(403);
    expect(await written()).toEqual(before);
  });

  it("answers alike behind a proxy that names the public host and scheme, from which the form was sent", async () => {
    const proxied = { "X-Forwarded-For": `${ip}4`, "X-Forwarded-Host": "inkwell.example:8443", "X-Forwarded-Proto": "https", Origin: "https://inkwell.example:8443" };
    const [fast, remix] = await bothWays(js, person("proxied"), proxied, "fast");
    expect(fast).toEqual(remix);
    expect(fast.status).toBe(js ? 204 : 302);
  });

  it("leaves a query string the form never sends to Remix, which answers it as before", async () => {
    const fields = supporter(`other-${js ? "js" : "html"}`);
    const res = await postSign(p.url, fields, `${ACTION_PATH}${js ? DATA_QUERY : "?index"}&unexpected=1`, { "X-Forwarded-For": `${ip}3` });
    expect(res.status).toBe(js ? 204 : 302);
    expect(await signatureOf(p.database.db, fields.email)).toMatchObject({ status: "pending" });
  });
});

/** A sign POST whose body is sent in chunks, without a declared length. */
function chunkedPost(base: string, path: string, body: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.write(body.slice(0, 10));
    req.end(body.slice(10));
  });
}

describe("sign POSTs the web server's guards refuse", () => {
  it("are refused alike, with nothing run ahead of Express and nothing written", async () => {
    const before = await written();
    const fields = new URLSearchParams(supporter("guarded")).toString();
    const counts = await fastPathCounts();
    const cases: [string, () => Promise<{ status: number; text?: string }>][] = [
      ["a NUL in the share source", () => rawRequest(p.url, `${ACTION_PATH}?index&source=%00x`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: fields })],
      ["a body past the limit", () => rawRequest(p.url, `${ACTION_PATH}?index`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `${fields}&comment=${"x".repeat(70_000)}` })],
      ["a form of another media type", () => rawRequest(p.url, `${ACTION_PATH}?index`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: fields })],
      ["a body of undeclared length", async () => ({ status: await chunkedPost(p.url, `${ACTION_PATH}?index`, fields) })],
    ];
    for (const [name, send] of cases) {
      const answers = [];
      for (const way of ["on", "off"]) {
        process.env.SIGN_FAST_PATH = way;
        const { status, text } = await send();
        answers.push({ name, status, text });
      }
      process.env.SIGN_FAST_PATH = "on";
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]!.status, name).toBeGreaterThanOrEqual(400);
      expect(answers[0]!.status, name).toBeLessThan(500);
    }
    expect(await fastPathCounts()).toEqual(counts);
    expect(await written()).toEqual(before);
  });
});
