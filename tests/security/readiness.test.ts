import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { page } from "../support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  await p?.stop();
});

const readyz = async (headers: Record<string, string> = {}) => {
  const res = await page(`${p.url}/readyz`, { headers });
  return { status: res.status, body: JSON.parse(res.html) as Record<string, unknown> };
};

describe("/readyz", () => {
  it("tells an anonymous caller only whether the process is ready", async () => {
    // Relayed through a proxy on this host: it came from elsewhere.
    const relayed = await readyz({ "X-Forwarded-For": "203.0.113.9" });
    expect(relayed).toEqual({ status: 200, body: { status: "ok" } });
    expect(JSON.stringify(relayed.body)).not.toMatch(/workers|checks|redis|postgres/);
  });

  it("shows its checks and the workers' heartbeats to whoever may read /metrics", async () => {
    const local = await readyz();
    expect(local.body).toMatchObject({ status: "ok", checks: { postgres: "ok", redis: "ok" }, workers: { live: 1, stale: [] } });
    process.env.METRICS_TOKEN = "readiness-token-readiness-token";
    expect((await readyz()).body).toEqual({ status: "ok" });
    expect((await readyz({ Authorization: "Bearer readiness-token-readiness-token" })).body).toMatchObject({ checks: { postgres: "ok", redis: "ok" } });
  });
});
