import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eraseSupporter } from "#db/queries/privacy";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailTo, postConfirm, rowCounts, supporter } from "../support/supporter";

// An OSDI client's walk: keys made in the workspace, campaigns listed, signatures and letters
// recorded through the helpers (the form's path: confirmation email included), read back in pages.

type Hal = Record<string, unknown> & { _links: Record<string, { href: string }>; _embedded?: Record<string, Array<Record<string, unknown> & { _links: Record<string, { href: string }> }>> };

let p: TestPlatform;
let owner: SignedIn;
let stranger: SignedIn;
let campaignId: number;
const keys: Record<"reader" | "writer" | "countsOnly", string> = { reader: "", writer: "", countsOnly: "" };

async function createKey(who: SignedIn, name: string, scopes: string[], campaigns: number[]) {
  const res = await who.post("/admin/api-keys", { intent: "create", name, scopes, campaigns: campaigns.map(String) });
  return { status: res.status, key: /inkw_[A-Za-z0-9_-]{43}/.exec(await res.text())?.[0] };
}

function api(path: string, key: string | null, init: RequestInit = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (key !== null) headers["OSDI-API-Token"] = key;
  return fetch(path.startsWith("http") ? path : `${p.url}/api/v1${path}`, { ...init, headers });
}
async function get(path: string, key: string | null) {
  const res = await api(path, key);
  return { status: res.status, body: (await res.json()) as Hal };
}
function post(path: string, key: string, body: unknown) {
  return api(path, key, { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
}
const person = (s: { name: string; email: string }) => ({ given_name: s.name, email_addresses: [{ address: s.email }], postal_addresses: [{ country: "pe", postal_code: "15001" }] });

let petition: Hal;
let letterAction: Hal;

beforeAll(async () => {
  p = await startTestPlatform();
  const db = p.database.db;
  campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  const [o, x] = await Promise.all([createCampaigner(db, { campaignIds: [campaignId], tag: "osdi-owner" }), createCampaigner(db, { tag: "osdi-stranger" })]);
  [owner, stranger] = await Promise.all([signIn(p.url, o), signIn(p.url, x)]);
  for (const [name, scopes] of [["reader", ["read", "people"]], ["writer", ["read", "write"]], ["countsOnly", ["read"]]] as const) {
    const made = await createKey(owner, name, [...scopes], [campaignId]);
    expect(made.status).toBe(200);
    keys[name] = made.key!;
  }
});
afterAll(async () => p?.stop());

describe("API keys in the workspace", () => {
  it("stores only a hash, shows the key once, lists it with its scopes, and audits its creation", async () => {
    const rows = await p.database.db.selectFrom("api_keys").selectAll().execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.token_hash.toString("utf8")).not.toContain("inkw_");
    const page = await (await owner.fetch("/admin/api-keys")).text();
    expect(page).toContain("reader");
    expect(page).not.toContain(keys.reader);
    const audit = await p.database.db.selectFrom("audit_log").select("action").where("action", "=", "api_key.create").execute();
    expect(audit).toHaveLength(3);
  });

  it("refuses a key for a campaign its creator cannot reach, and an empty form, with a message", async () => {
    const refused = await createKey(stranger, "sneaky", ["read", "people"], [campaignId]);
    expect(refused.status).toBe(400);
    expect(refused.key).toBeUndefined();
    const empty = await stranger.post("/admin/api-keys", { intent: "create" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Choose at least one scope.");
  });
});

describe("OSDI client flow", () => {
  it("refuses requests without a key (401), with an unknown key (401) and without the scope (403)", async () => {
    expect((await get("/petitions", null)).status).toBe(401);
    expect((await get("/petitions", `inkw_${"A".repeat(43)}`)).status).toBe(401);
    expect((await get("/petitions", "not a key at all")).status).toBe(401);
    const noPeople = await get("/people", keys.countsOnly);
    expect(noPeople.status).toBe(403);
    expect(String(noPeople.body.message)).toContain('"people"');
    expect((await post("/petitions/1/record_signature_helper", keys.reader, {})).status).toBe(403);
  });

  it("lists the entry point, petitions and advocacy campaigns of the key's campaigns, with OSDI links", async () => {
    const aep = await get("", keys.countsOnly);
    expect(aep.status).toBe(200);
    expect(aep.body.osdi_version).toBe("1.1");
    expect(aep.body._links["osdi:petitions"]!.href).toBe(`${p.url}/api/v1/petitions`);
    expect(aep.body._links["osdi:people"]).toBeUndefined();
    const petitions = await get(aep.body._links["osdi:petitions"]!.href, keys.countsOnly);
    expect(petitions.status).toBe(200);
    petition = petitions.body._embedded!["osdi:petitions"]!.find((x) => String(x.browser_url).endsWith(`/${DEMO.action}`))! as Hal;
    expect(petition).toMatchObject({ title: expect.any(String), total_signatures: 0, origin_system: "Inkwell" });
    expect(petition._links["osdi:record_signature_helper"]!.href).toMatch(/\/record_signature_helper$/);
    const campaigns = await get("/advocacy_campaigns", keys.countsOnly);
    letterAction = campaigns.body._embedded!["osdi:advocacy_campaigns"]!.find((x) => String(x.browser_url).endsWith("/write-to-the-minister"))! as Hal;
    expect(letterAction).toMatchObject({ type: "email", targets: expect.arrayContaining([expect.objectContaining({ name: expect.any(String) })]) });
    const stray = await get("/petitions/99999", keys.countsOnly);
    expect(stray.status).toBe(404);
  });

  it("records signatures through the helper, confirmed by email, then pages through them with a read key", async () => {
    const signers = [supporter("osdi-a"), supporter("osdi-b"), supporter("osdi-c")];
    for (const s of signers) {
      const res = await post(petition._links["osdi:record_signature_helper"]!.href, keys.writer, { person: person(s), comments: `Free them — ${s.name}` });
      expect(res.status, await res.clone().text()).toBe(202);
      expect(((await res.json()) as Hal).status).toBe("pending_confirmation");
    }
    const signatures = petition._links["osdi:signatures"]!.href;
    expect((await get(signatures, keys.reader)).body._embedded!["osdi:signatures"]).toHaveLength(0);
    for (const s of signers) expect((await postConfirm(confirmLink((await mailTo(p, s.email)).text))).status).toBe(302);

    const seen: string[] = [];
    let next: string | undefined = `${signatures}?per_page=2`;
    while (next) {
      const page = await get(next, keys.reader);
      expect(page.status).toBe(200);
      expect(page.body._embedded!["osdi:signatures"]!.length).toBeLessThanOrEqual(2);
      for (const sig of page.body._embedded!["osdi:signatures"]!) {
        const who = await get(sig._links["osdi:person"]!.href, keys.reader);
        expect(who.status).toBe(200);
        seen.push(((who.body.email_addresses as Array<{ address: string }>)[0]!).address);
        expect(String(sig.comments)).toContain("Free them");
      }
      next = page.body._links.next?.href;
    }
    expect(seen.sort()).toEqual(signers.map((s) => s.email).sort());
    const sources = await p.database.db.selectFrom("signatures").select("source").where("source", "=", "api").execute();
    expect(sources).toHaveLength(3);
    await eventually(async () => ((await get(petition._links.self!.href, keys.countsOnly)).body.total_signatures as number) === 3, 15_000, "the counter to fold");
    expect((await get(signatures, keys.countsOnly)).status).toBe(403);
  });

  it("records a letter through the outreach helper with the action's own text, and lists it once confirmed", async () => {
    const writer = supporter("osdi-letter");
    const res = await post(letterAction._links["osdi:record_outreach_helper"]!.href, keys.writer, { person: person(writer) });
    expect(res.status, await res.clone().text()).toBe(202);
    expect((await postConfirm(confirmLink((await mailTo(p, writer.email)).text))).status).toBe(302);
    const outreaches = await get(letterAction._links["osdi:outreaches"]!.href, keys.reader);
    const [letter] = outreaches.body._embedded!["osdi:outreaches"]!;
    expect(letter).toMatchObject({ type: "email", subject: expect.any(String) });
    expect(String(letter!.message).length).toBeGreaterThan(20);
    expect((letter!.targets as unknown[]).length).toBeGreaterThan(0);
  });

  it("answers malformed bodies and parameters with a 4xx naming the problem, and writes nothing", async () => {
    const helper = petition._links["osdi:record_signature_helper"]!.href;
    const before = await rowCounts(p.database.db);
    const cases: Array<[unknown, number, string]> = [
      ["{not json", 400, "body"],
      ["[]", 400, "body"],
      [{}, 400, "person"],
      [{ person: { email_addresses: "x@example.org" } }, 400, "person.email_addresses"],
      [{ person: { ...person(supporter("bad")), email_addresses: [{ address: "not-an-address" }] } }, 400, "person.email_addresses"],
      [{ person: { ...person(supporter("bad")), postal_addresses: [{ country: "zz" }] } }, 400, "person.postal_addresses.country"],
      [{ person: { ...person(supporter("bad")), given_name: "" } }, 400, "person.given_name"],
      [{ person: person(supporter("bad")), comments: "x".repeat(5000) }, 400, "comments"],
    ];
    for (const [body, status, field] of cases) {
      const res = await post(helper, keys.writer, body);
      const answer = (await res.json()) as { message?: string; fields?: Record<string, string[]> };
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(answer.message).toBeTruthy();
      if (field !== "body") expect(Object.keys(answer.fields ?? {}).join(" "), JSON.stringify(body).slice(0, 80)).toContain(field);
    }
    expect(await rowCounts(p.database.db)).toEqual(before);
    for (const path of ["/petitions?per_page=abc", "/petitions?per_page=100000", "/petitions?after=-1"]) expect((await get(path, keys.reader)).status, path).toBe(400);
    for (const path of ["/petitions/abc", "/petitions/99999999999999999999", "/people/0", "/advocacy_campaigns/-1/outreaches"]) expect((await get(path, keys.reader)).status, path).toBe(404);
    expect((await api("/petitions/1/record_signature_helper", keys.writer)).status).toBe(405);
  });

  it("stops showing a supporter once erased", async () => {
    const people = await get("/people", keys.reader);
    const first = people.body._embedded!["osdi:people"]![0]!;
    const id = Number(first._links.self!.href.split("/").pop());
    await p.database.db.transaction().execute((trx) => eraseSupporter(trx, id));
    expect((await get(first._links.self!.href, keys.reader)).status).toBe(404);
    const after = await get("/people", keys.reader);
    expect(after.body._embedded!["osdi:people"]!.map((x) => x._links.self!.href)).not.toContain(first._links.self!.href);
    const sigs = await get(petition._links["osdi:signatures"]!.href, keys.reader);
    expect(sigs.body._embedded!["osdi:signatures"]!.map((x) => x._links["osdi:person"]!.href)).not.toContain(first._links.self!.href);
  });

  it("refuses a revoked key, and shows when a key was last used", async () => {
    const row = await p.database.db.selectFrom("api_keys").select(["id", "last_used_at"]).where("name", "=", "reader").executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
    const res = await owner.post("/admin/api-keys", { intent: "revoke", keyId: String(row.id) });
    expect(res.status).toBe(200);
    expect((await get("/people", keys.reader)).status).toBe(401);
    expect((await get("/petitions", keys.countsOnly)).status).toBe(200);
    const audit = await p.database.db.selectFrom("audit_log").select("subject_id").where("action", "=", "api_key.revoke").execute();
    expect(audit.map((a) => a.subject_id)).toEqual([String(row.id)]);
  });
});

describe("reference documentation", () => {
  it("serves a docs page and an OpenAPI document whose helper bodies come from the helpers' schemas", async () => {
    const docs = await fetch(`${p.url}/api/docs`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain("OSDI-API-Token");
    expect(html).toContain("/api/v1/petitions/{id}/record_signature_helper");
    const spec = (await (await fetch(`${p.url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    expect(spec.openapi).toBe("3.1.0");
    const body = spec.paths["/api/v1/petitions/{id}/record_signature_helper"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["person", "comments"]));
  });
});

