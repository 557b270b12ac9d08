import { request } from "node:http";
import { rawRequest } from "./support/hostile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { DEMO, postSign, startTestPlatform, type TestPlatform } from "./support/platform";
import { ACTION_PATH, fieldError, mailTo, page, rowCounts, sign, signatureOf, supporter } from "./support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

/** Posts the sign form and checks the refusal: a 4xx page, and not one row written. */
async function refused(fields: Record<string, string>, status = 400, path = ACTION_PATH) {
  const before = await rowCounts(p.database.db);
  const res = await postSign(p.url, fields, path);
  const html = await res.text();
  expect(res.status).toBe(status);
  expect(await rowCounts(p.database.db)).toEqual(before);
  return html;
}

describe("bad input on the sign form", () => {
  it("asks for each missing field next to that field", async () => {
    const html = await refused({});
    expect(fieldError(html, "name")).toBe(en.errors.required);
    expect(fieldError(html, "email")).toBe(en.errors.required);
    expect(fieldError(html, "country")).toBe(en.errors.country);
    // The summary above the form lists each of them, each a link to its field.
    expect(html).toContain(en.a11y.errorSummary);
    for (const field of ["name", "email", "country"]) expect(html).toMatch(new RegExp(`<a href="#[^"]*-${field}"`));
  });

  it("says which field is too long", async () => {
    const html = await refused(supporter("long", { name: "N".repeat(101), comment: "c".repeat(1_001) }));
    expect(fieldError(html, "name")).toBe(en.errors.tooLong);
    expect(fieldError(html, "comment")).toBe(en.errors.tooLong);
    expect(fieldError(html, "email")).toBeUndefined();
  });

  it("refuses NUL bytes and control characters with a message next to the field", async () => {
    const html = await refused(supporter("nul", { name: "Ana\u0000Quispe", comment: "bell\u0007", postalCode: "15\u000001" }));
    expect(fieldError(html, "name")).toBe(en.errors.controlChars);
    expect(fieldError(html, "comment")).toBe(en.errors.controlChars);
    expect(fieldError(html, "postalCode")).toBeDefined();
    const email = await refused(supporter("nul2", { email: "ana\u0000@example.org" }));
    expect(fieldError(email, "email")).toBe(en.errors.controlChars);
  });

  it("says what is wrong with a bad email, country or postal code", async () => {
    const html = await refused(supporter("bad", { email: "not-an-email", country: "XX", postalCode: "<15001>" }));
    expect(fieldError(html, "email")).toBe(en.errors.email);
    expect(fieldError(html, "country")).toBe(en.errors.country);
    expect(fieldError(html, "postalCode")).toBe(en.errors.postalCode);
  });

  it("keeps what was typed after a failed submit, escaped", async () => {
    const html = await refused({ name: 'Ana "<b>" Quispe', email: "ana@example", country: "PE", comment: "Keep <this>" });
    expect(html).toContain('value="Ana &quot;&lt;b&gt;&quot; Quispe"');
    expect(html).toContain('value="ana@example"');
    expect(html).toContain("Keep &lt;this&gt;</textarea>");
    expect(html).not.toContain("<b>");
  });

  it("stores script tags as text and escapes them on the page and in the email", async () => {
    const name = '<script>alert("name")</script>';
    const comment = "<img src=x onerror=alert(1)> & <script>alert('c')</script>";
    const html = await refused({ name, comment, email: "", country: "PE" });
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;");

    const who = supporter("script", { name, comment });
    await sign(p, who);
    expect(await signatureOf(p.database.db, who.email)).toMatchObject({ name, comment });
    const mail = await mailTo(p, who.email);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.text).toContain(name);
  });

  it("refuses a body that is not a form with a clear message", async () => {
    const before = await rowCounts(p.database.db);
    // A body no browser form sends is refused before the page (415); a form that cannot be read gets the page and why (400).
    const bodies: [string, string, number, string][] = [
      ["application/json", JSON.stringify(supporter("json")), 415, "only takes forms sent by a browser"],
      ["multipart/form-data; boundary=nope", "garbage without any boundary", 400, en.formRefused],
      ["text/plain", "name=Ana&email=ana@example.org&country=PE", 415, "only takes forms sent by a browser"],
    ];
    for (const [type, body, status, message] of bodies) {
      const res = await fetch(p.url + ACTION_PATH, { method: "POST", redirect: "manual", headers: { "Content-Type": type }, body });
      const html = await res.text();
      expect(res.status).toBe(status);
      expect(html).toContain(message);
    }
    expect(await rowCounts(p.database.db)).toEqual(before);
  });

  it("refuses a body over 64 KB with 413, however it is sent", async () => {
    const before = await rowCounts(p.database.db);
    const big = new URLSearchParams({ ...supporter("big"), comment: "x".repeat(70_000) }).toString();
    const declared = await postSign(p.url, Object.fromEntries(new URLSearchParams(big)));
    expect(declared.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(p.url + ACTION_PATH, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < big.length; i += 8_192) req.write(big.slice(i, i + 8_192));
      req.end();
    });
    expect([411, 413]).toContain(chunked);
    expect(await rowCounts(p.database.db)).toEqual(before);
  });
});

describe("places that do not exist or no longer take signatures", () => {
  it("shows the not-found page for an unknown campaign or action, on GET and POST", async () => {
    for (const path of ["/campaigns/no-such-campaign", `/campaigns/no-such-campaign/${DEMO.action}`, `/campaigns/${DEMO.campaign}/no-such-action`]) {
      const res = await page(p.url + path);
      expect(res.status).toBe(404);
      expect(res.html).toContain(en.notFound.title);
    }
    const html = await refused(supporter("lost"), 404, `/campaigns/${DEMO.campaign}/no-such-action`);
    expect(html).toContain(en.notFound.body);
  });

  it("shows a closed campaign without a form, and refuses a POST with 409", async () => {
    await p.database.db.updateTable("campaigns").set({ status: "closed" }).where("slug", "=", DEMO.campaign).execute();
    try {
      const res = await page(p.url + ACTION_PATH);
      expect(res.status).toBe(200);
      expect(res.html).toContain(en.sign.closed);
      expect(res.html).not.toContain('name="email"');
      const html = await refused(supporter("late"), 409);
      expect(html).toContain(en.sign.closed);
    } finally {
      await p.database.db.updateTable("campaigns").set({ status: "live" }).where("slug", "=", DEMO.campaign).execute();
    }
  });
});

describe("a Host header that names no host", () => {
  it("is refused with a 400 on every kind of request, pages kept or not, and signs nothing", async () => {
    const before = await rowCounts(p.database.db);
    const form = new URLSearchParams(supporter("bad-host")).toString();
    const requests = [
      { method: "GET", path: `/campaigns/${DEMO.campaign}` },
      { method: "GET", path: "/" },
      { method: "GET", path: `/api/campaigns/${DEMO.campaign}` },
      { method: "POST", path: `${ACTION_PATH}?index`, body: form },
      { method: "POST", path: "/confirm/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", body: "" },
    ];
    // The page is kept after its first answer: the second round asks the kept one.
    await page(p.url + `/campaigns/${DEMO.campaign}`);
    const hosts: Record<string, string>[] = [{ Host: "a b" }, { Host: "[::1" }, { Host: "inkwell.example:99999" }, { Host: "%zz" }, { Host: "a/b" }, { "X-Forwarded-Host": "a b" }];
    for (const headers of hosts) {
      for (const { method, path, body } of requests) {
        const res = await rawRequest(p.url, path, { method, headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body });
        expect({ headers, method, path, status: res.status }).toEqual({ headers, method, path, status: 400 });
        expect(res.text).toContain("Host");
      }
    }
    expect(await rowCounts(p.database.db)).toEqual(before);
  });

  it("lets through the hosts clients send: names, addresses, ports", async () => {
    const port = new URL(p.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "inkwell.example", "inkwell.example."]) {
      const res = await rawRequest(p.url, `/campaigns/${DEMO.campaign}`, { method: "GET", headers: { Host: host } });
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
    }
  });
});
