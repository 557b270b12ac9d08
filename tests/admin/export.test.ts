import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNATURE_EXPORT_HEADER } from "#services/signature-export";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { parseCsv } from "../support/csv";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

const ROWS = 50_000;
let p: TestPlatform;
let owner: SignedIn;
let campaignId: number;
let base: string;

beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  const db = p.database.db;
  campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  const action = (await db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow()).id;
  base = `/admin/campaigns/${campaignId}/supporters/export`;
  owner = await signIn(p.url, await createCampaigner(db, { campaignIds: [campaignId] }));
  // Bulk-loaded in two statements: every tenth signature is pending, the rest confirmed.
  await sql`insert into supporters (email) select 'bulk' || g || '@example.org' from generate_series(1, ${ROWS}::int) g`.execute(db);
  await sql`
    insert into signatures (action_id, supporter_id, status, name, country, language, comment, created_at, confirmed_at)
    select ${action}, p.id, case when p.id % 10 = 0 then 'pending' else 'confirmed' end, 'Signer ' || p.id, 'PE', 'es',
           case when p.id = 7 then '=HYPERLINK("http://evil.example","click")' when p.id = 8 then e'two\nlines, "quoted"' end,
           now(), case when p.id % 10 = 0 then null else now() end
    from supporters p
  `.execute(db);
}, 180_000);
afterAll(async () => p?.stop());

describe("the signatures export", () => {
  it("streams every one of 50,000 rows, complete and in order, as an attachment, and records who exported", async () => {
    const res = await owner.fetch(base);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="${DEMO.campaign}-signatures-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
    const rows = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(rows[0]).toEqual(SIGNATURE_EXPORT_HEADER);
    const body = rows.slice(1);
    expect(body).toHaveLength(ROWS);
    const ids = body.map((r) => Number(r[0]));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(body[41]).toEqual(expect.arrayContaining(["42", DEMO.action, "confirmed", "Signer 42", "bulk42@example.org", "PE"]));
    expect(body.filter((r) => r[2] === "pending")).toHaveLength(ROWS / 10);
    const audit = await p.database.db.selectFrom("audit_log").selectAll().where("action", "=", "signatures.export").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.campaign_id).toBe(campaignId);
  });

  it("neutralises cells a spreadsheet would run, and keeps line breaks and quotes inside their cell", async () => {
    const rows = parseCsv(await (await owner.fetch(`${base}?q=${encodeURIComponent("Signer ")}&country=PE`)).text());
    const comment = SIGNATURE_EXPORT_HEADER.indexOf("comment");
    expect(rows.find((r) => r[0] === "7")![comment]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows.find((r) => r[0] === "8")![comment]).toBe('two\nlines, "quoted"');
  });

  it("exports only what the filter matches, the same filter as the list", async () => {
    const rows = parseCsv(await (await owner.fetch(`${base}?status=pending`)).text()).slice(1);
    expect(rows).toHaveLength(ROWS / 10);
    expect(rows.every((r) => r[2] === "pending")).toBe(true);
    const one = parseCsv(await (await owner.fetch(`${base}?q=bulk123%40example.org`)).text()).slice(1);
    expect(one.map((r) => r[4])).toContain("bulk123@example.org");
    const audit = await p.database.db.selectFrom("audit_log").select("details").where("action", "=", "signatures.export").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ filter: { search: "(an email address)" } });
  });

  it("refuses a bad filter with a 400 instead of a file", async () => {
    const res = await owner.fetch(`${base}?country=Peru&from=tomorrow`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-disposition")).toBeNull();
  });
});
