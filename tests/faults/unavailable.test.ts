import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, unavailableResponse } from "#server/http/route-guards";

const pgError = (code: string, message = "boom") => Object.assign(new Error(message), { code });

describe("telling a lost database from a bad query", () => {
  it.each([
    ["nothing listening", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["both localhost addresses refused", Object.assign(new AggregateError([pgError("ECONNREFUSED"), pgError("ECONNREFUSED")]), { code: undefined })],
    ["terminated by an administrator (pg_ctl stop -m fast)", pgError("57P01", "terminating connection due to administrator command")],
    ["the server starting up", pgError("57P03", "the database system is starting up")],
    ["a connection failure", pgError("08006")],
    ["a full disk", pgError("53100", "could not extend file")],
    ["too many connections", pgError("53300")],
    ["a socket closed mid-query", new Error("Connection terminated unexpectedly")],
    ["a pool that cannot connect in time", new Error("timeout exceeded when trying to connect")],
  ])("counts %s as unavailable", (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ["a unique violation", pgError("23505", "duplicate key value violates unique constraint")],
    ["bad input syntax", pgError("22P02")],
    ["a plain error", new Error("something else")],
    ["a thrown Response", new Response("Not found", { status: 404 })],
    ["nothing", null],
  ])("does not count %s", (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe("the 503 answer", () => {
  it("is JSON with Retry-After for the API, and text for the error page elsewhere", async () => {
    const api = unavailableResponse(new Request("http://x.test/api/campaigns/peru"));
    expect([api.status, api.headers.get("retry-after"), api.headers.get("cache-control")]).toEqual([503, "30", "no-store"]);
    expect(await api.json()).toEqual({ error: "unavailable", retryAfter: 30 });
    const page = unavailableResponse(new Request("http://x.test/campaigns/peru"));
    expect([page.status, page.headers.get("retry-after")]).toEqual([503, "30"]);
  });
});
