import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner } from "../support/campaigner";
import { startTestPlatform, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => p?.stop());

/** A POST whose path goes out exactly as written (fetch would resolve its dot segments first). */
function rawPost(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; location?: string; cookie?: string[] }> {
  const { hostname, port } = new URL(p.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path, method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location, cookie: res.headers["set-cookie"] }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const offsite = ["/a/..//evil.example/", "/admin/../..//evil.example", "/%2F%2Fevil.example", "/\\evil.example", "/%5Cevil.example", "/\t/evil.example", "https:evil.example"];

describe("user-supplied return paths", () => {
  it.each(offsite)("sign-in never sends a campaigner to %j", async (next) => {
    const account = await createCampaigner(p.database.db);
    const res = await fetch(`${p.url}/admin/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: account.email, password: account.password, next }),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin");
  });

  it.each(offsite)("the language switcher never sends a visitor to %j", async (back) => {
    const res = await fetch(`${p.url}/lang?to=es&back=${encodeURIComponent(back)}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
  });

  it("keeps a path on this site", async () => {
    const res = await fetch(`${p.url}/lang?to=es&back=${encodeURIComponent("/campaigns/x?y=1")}`, { redirect: "manual" });
    expect(res.headers.get("location")).toBe("/campaigns/x?y=1");
  });
});

describe("the cross-site guard", () => {
  it.each(["/unsubscribe/../admin/sign-in", "/unsubscribe/%2e%2e/admin/sign-in", "/unsubscribe/x/../../admin/sign-in"])(
    "reads %j as the page it reaches, so a post from another site is refused (403)",
    async (path) => {
      const account = await createCampaigner(p.database.db);
      const body = new URLSearchParams({ email: account.email, password: account.password }).toString();
      const res = await rawPost(path, body, { Origin: "https://evil.example" });
      expect(res.status).toBe(403);
      expect(res.cookie).toBeUndefined();
    },
  );
});
