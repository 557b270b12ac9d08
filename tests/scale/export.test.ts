import { PassThrough, Writable } from "node:stream";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "#db/client";
import { streamSignaturesCsv } from "#services/signature-export";
import { seedDemo } from "#db/seed";
import { parseCsv } from "../support/csv";
import { createTestDatabase, type TestDatabase } from "../support/db";

let database: TestDatabase;
let campaignId: number;
let petitionId: number;
let letterId: number;

async function exportText(filter: Parameters<typeof streamSignaturesCsv>[1]): Promise<{ rows: string[][]; count: number; raw: string }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const count = await streamSignaturesCsv(database.db, filter, out);
  const raw = Buffer.concat(chunks).toString("utf8");
  return { rows: parseCsv(raw.replace(/^\uFEFF/, "")), count, raw };
}

async function addSignature(actionId: number, email: string, values: { name: string; country?: string; status?: string; comment?: string; createdAt?: string }) {
  const supporter = await sql<{ id: number }>`insert into supporters (email) values (${email}) returning id`.execute(database.db);
  await sql`
    insert into signatures (action_id, supporter_id, status, name, country, language, comment, created_at, confirmed_at)
    values (${actionId}, ${supporter.rows[0]!.id}, ${values.status ?? "confirmed"}, ${values.name}, ${values.country ?? "PE"}, 'es',
            ${values.comment ?? null}, ${values.createdAt ?? "2026-11-20T10:00:00Z"},
            ${values.status === "pending" ? null : values.createdAt ?? "2026-11-20T10:00:00Z"})
  `.execute(database.db);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db);
  const campaign = await database.db.selectFrom("campaigns").select("id").executeTakeFirstOrThrow();
  campaignId = campaign.id;
  const actions = await database.db.selectFrom("actions").select(["id", "slug"]).where("campaign_id", "=", campaignId).execute();
  petitionId = actions.find((a) => a.slug === "free-the-innocent")!.id;
  letterId = actions.find((a) => a.slug === "write-to-the-minister")!.id;

  await addSignature(petitionId, "rosa@example.org", { name: "Rosa Quispe", comment: "Libertad, ya", createdAt: "2026-11-01T09:00:00Z" });
  await addSignature(petitionId, "formula@example.org", { name: '=HYPERLINK("http://evil.example","x")', country: "GB" });
  await addSignature(petitionId, "pending@example.org", { name: "Pedro Mamani", status: "pending" });
  await addSignature(letterId, "lines@example.org", { name: "Ana, \"la\" Torres", comment: "one\ntwo", createdAt: "2026-11-25T09:00:00Z" });
  await addSignature(letterId, "100%_sure@example.org", { name: "Percent Person" });

  const other = await sql<{ id: number }>`insert into campaigns (slug, status) values ('another-campaign', 'live') returning id`.execute(database.db);
  const otherAction = await sql<{ id: number }>`
    insert into actions (campaign_id, slug, kind, goal) values (${other.rows[0]!.id}, 'other-action', 'petition', 10) returning id
  `.execute(database.db);
  await addSignature(otherAction.rows[0]!.id, "elsewhere@example.org", { name: "Someone Elsewhere" });
});

afterAll(async () => {
  await database?.drop();
});

describe("streaming a campaign's signatures as CSV", () => {
  it("writes a header and every signature of the campaign, none of another, in signing order", async () => {
    const { rows, count, raw } = await exportText({ campaignId });
    expect(raw.startsWith("\uFEFF")).toBe(true);
    expect(rows[0]).toEqual(["signature_id", "action", "status", "name", "email", "country", "postal_code", "comment", "language", "updates_opt_in", "signed_at", "confirmed_at", "held_for_review", "source"]);
    expect(count).toBe(5);
    expect(rows.slice(1).map((r) => r[4])).toEqual(["rosa@example.org", "formula@example.org", "pending@example.org", "lines@example.org", "100%_sure@example.org"]);
    expect(raw).not.toContain("elsewhere@example.org");
  });

  it("neutralises a name a spreadsheet would run as a formula and keeps commas, quotes and line breaks in their cells", async () => {
    const { rows } = await exportText({ campaignId });
    expect(rows[2]![3]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(rows[4]![3]).toBe('Ana, "la" Torres');
    expect(rows[4]![7]).toBe("one\ntwo");
  });

  it("filters by action, status, country, date range and search", async () => {
    expect((await exportText({ campaignId, actionId: letterId })).count).toBe(2);
    expect((await exportText({ campaignId, status: "pending" })).rows[1]![4]).toBe("pending@example.org");
    expect((await exportText({ campaignId, country: "gb" })).rows[1]![4]).toBe("formula@example.org");
    const range = await exportText({ campaignId, from: new Date("2026-11-10T00:00:00Z"), to: new Date("2026-11-24T00:00:00Z") });
    expect(range.count).toBe(3);
    // Search reads as the supporters list reads it: a name prefix, or an exact address.
    expect((await exportText({ campaignId, search: "rosa q" })).rows[1]![4]).toBe("rosa@example.org");
    expect((await exportText({ campaignId, search: "quispe" })).count).toBe(0);
    expect((await exportText({ campaignId, search: "LINES@example.org" })).rows[1]![3]).toBe('Ana, "la" Torres');
    expect((await exportText({ campaignId, search: "ines@example.org" })).count).toBe(0);
  });

  it("says which signatures are held for review", async () => {
    await database.db.updateTable("signatures").set({ held_at: new Date() }).where("name", "=", "Percent Person").execute();
    const { rows } = await exportText({ campaignId });
    expect(rows.slice(1).map((r) => [r[3], r[12]])).toContainEqual(["Percent Person", "yes"]);
    expect(rows.slice(1).filter((r) => r[12] === "yes")).toHaveLength(1);
    await database.db.updateTable("signatures").set({ held_at: null }).where("name", "=", "Percent Person").execute();
  });

  it("treats % and _ in a search as plain characters (bad input: wildcards)", async () => {
    expect((await exportText({ campaignId, search: "100%_sure@example.org" })).count).toBe(1);
    expect((await exportText({ campaignId, search: "%" })).count).toBe(0);
    expect((await exportText({ campaignId, search: "_" })).count).toBe(0);
    expect((await exportText({ campaignId, search: "Percent%" })).count).toBe(0);
    expect((await exportText({ campaignId, search: "percent p" })).count).toBe(1);
  });

  it("exports nothing but the header for an unknown status (bad input)", async () => {
    const { rows, count } = await exportText({ campaignId, status: "bogus" });
    expect(count).toBe(0);
    expect(rows).toHaveLength(1);
  });

  it("writes a large export at the reader's pace and frees its connection when the reader goes away", async () => {
    await sql`insert into supporters (email) select 'bulk-' || g || '@example.org' from generate_series(1, 20000) g`.execute(database.db);
    await sql`
      insert into signatures (action_id, supporter_id, status, name, country, language, confirmed_at)
      select ${petitionId}, id, 'confirmed', 'Bulk ' || id, 'PE', 'es', now() from supporters where email like 'bulk-%'
    `.execute(database.db);

    const all = await exportText({ campaignId });
    expect(all.count).toBe(20_005);
    expect(new Set(all.rows.slice(1).map((r) => r[0])).size).toBe(20_005);

    // A reader that stops after a few KB: the export fails with its error, and the one connection it held is back in the pool.
    const single = createDb(database.url, 1);
    let received = 0;
    const stingy = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        if (received > 16 * 1024) cb(new Error("reader went away"));
        else setTimeout(cb, 1);
      },
    });
    await expect(streamSignaturesCsv(single, { campaignId }, stingy)).rejects.toThrow("reader went away");
    expect(received).toBeLessThan(64 * 1024);
    const after = await sql<{ n: number }>`select 1 as n`.execute(single);
    expect(after.rows[0]!.n).toBe(1);
    await single.destroy();
  });
});
