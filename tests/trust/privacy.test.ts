import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { assembleBatch } from "#db/queries/deliveries";
import { ANONYMOUS_NAME } from "#db/queries/privacy";
import { runRetention } from "#jobs/retention";
import { recordTrendingReport } from "#jobs/trending";
import { trendingFor } from "#db/queries/suspicious";
import { letterAction, writeAndConfirm } from "../support/letters";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { apiCount, fieldError, mailSettled, mailTo, page, postConfirm, sign, signAndGetLink, signatureOf, supporter } from "../support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${p.url}/privacy/my-data`, {
    method: "POST", redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const dataLink = (text: string) => /https?:\/\/\S+\/privacy\/my-data\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];

async function confirmedSupporter(tag: string) {
  const person = supporter(tag, { comment: `I care (${tag})`, postalCode: "15001", updates: "on" });
  expect((await postConfirm(await signAndGetLink(p, person))).status).toBe(302);
  await eventually(async () => (await signatureOf(p.database.db, person.email))?.counted, 10_000, "signature counted");
  return person;
}

describe("a supporter's data, by emailed link", () => {
  it("answers the same for known and unknown addresses, and emails only the known one", async () => {
    const ana = await confirmedSupporter("ana");
    const known = await form({ email: ana.email.toUpperCase() });
    const unknown = await form({ email: `nobody-${process.pid}@example.org` });
    for (const res of [known, unknown]) {
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/privacy/my-data?sent=1");
    }
    expect(dataLink((await mailTo(p, ana.email, 2)).text)).toBeDefined();
    await mailSettled(p);
    expect(p.smtp.to(`nobody-${process.pid}@example.org`)).toHaveLength(0);
    expect((await page(`${p.url}/privacy/my-data?sent=1`)).html).toContain(en.myData.sentTitle);
  });

  it("asks for a valid address next to the field, and refuses cross-site posts", async () => {
    const res = await form({ email: "not an email\u0000" });
    expect(res.status).toBe(400);
    expect(fieldError(await res.text(), "email")).toBeDefined();
    expect((await form({ email: "x@example.org" }, { Origin: "https://evil.example" })).status).toBe(403);
    const before = await p.database.db.selectFrom("privacy_requests").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
    expect((await form({ email: "x@example.org", hp_note: "robot" })).status).toBe(302);
    expect(await p.database.db.selectFrom("privacy_requests").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("downloads everything held as JSON, then erases it while the signature still counts", async () => {
    const bea = await confirmedSupporter("bea");
    const countBefore = await eventually(() => apiCount(p.url), 10_000, "count");
    await form({ email: bea.email });
    const link = dataLink((await mailTo(p, bea.email, 2)).text)!;

    const choices = await page(link);
    expect(choices.status).toBe(200);
    expect(choices.headers.get("cache-control")).toContain("no-store");
    expect(choices.html).toContain(en.myData.download);

    const download = await fetch(`${link}/download`);
    expect(download.headers.get("content-disposition")).toContain("attachment");
    const data = (await download.json()) as { supporter: { email: string }; signatures: { name: string; comment: string; postal_code: string }[]; consents: { kind: string; wording: string }[] };
    expect(data.supporter.email).toBe(bea.email);
    expect(data.signatures[0]).toMatchObject({ name: bea.name, comment: bea.comment, postal_code: "15001" });
    expect(data.consents.map((c) => c.kind).sort()).toEqual(["privacy_notice", "updates"]);
    expect(data.consents[0]!.wording).toBe(en.sign.privacy);

    // The confirm step is a page; only the POST erases.
    expect((await page(`${link}?step=erase`)).html).toContain(en.myData.confirmButton);
    const signature = (await signatureOf(p.database.db, bea.email))!;
    expect(signature.name).toBe(bea.name);
    const erased = await fetch(link, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: p.url }, body: "intent=erase" });
    expect(erased.status).toBe(200);
    expect(await erased.text()).toContain(en.myData.erasedTitle);

    expect(await signatureOf(p.database.db, bea.email)).toBeUndefined();
    const row = await p.database.db
      .selectFrom("signatures as s").innerJoin("supporters as u", "u.id", "s.supporter_id")
      .select(["u.email", "u.erased_at", "s.name", "s.comment", "s.postal_code", "s.ip_hash", "s.status", "s.counted"])
      .where("s.id", "=", signature.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: ANONYMOUS_NAME, comment: null, postal_code: null, ip_hash: null, status: "confirmed", counted: true });
    expect(row.email).toMatch(/^erased-\d+@erased\.invalid$/);
    const consents = await p.database.db.selectFrom("consents as k").innerJoin("supporters as u", "u.id", "k.supporter_id").select(["k.withdrawn_at", "k.wording"]).where("u.email", "=", row.email).execute();
    expect(consents.length).toBe(2);
    expect(consents.every((c) => c.withdrawn_at !== null && c.wording.length > 0)).toBe(true);

    // The count is the same, now and after a full recount; the link is dead.
    expect(await apiCount(p.url)).toBe(countBefore);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from signatures s join actions a on a.id = s.action_id where a.slug = ${DEMO.action} and s.status = 'confirmed' and s.counted and s.held_at is null`.execute(p.database.db);
    expect(rows[0]!.n).toBe(countBefore);
    expect((await page(link)).status).toBe(404);
    expect((await fetch(link, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=erase" })).status).toBe(404);
  });

  it("shows an invalid-link page for an unknown token, and a 400 for a NUL or a malformed escape", async () => {
    for (const token of ["short", "A".repeat(43)]) {
      const res = await page(`${p.url}/privacy/my-data/${token}`);
      expect(res.status).toBe(404);
      expect(res.html).toContain(en.myData.invalidTitle);
    }
    // A NUL or a malformed escape never reaches a query.
    for (const token of ["%00".repeat(15), "%E0%A4%A", "%C0%AF"]) expect((await page(`${p.url}/privacy/my-data/${token}`)).status).toBe(400);
  });
});

describe("retention and review jobs", () => {
  it("records IP fingerprints and email domains trending on an action", async () => {
    for (let i = 0; i < 6; i++) await sign(p, supporter(`trend${i}`, { email: `trend${i}-${process.pid}@trending.example` }), { "X-Forwarded-For": "203.0.113.99" });
    const action = await p.database.db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow();
    await recordTrendingReport(p.database.db, new Date(Date.now() + 3600_000));
    const report = await trendingFor(p.database.db, action.id, 48);
    expect(report.find((r) => r.kind === "domain" && r.value === "trending.example")?.signatures).toBe(6);
    const ip = report.find((r) => r.kind === "ip" && r.signatures >= 6);
    expect(ip?.value).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(report)).not.toContain("203.0.113.99");
  });

  it("scrubs a letter once every official has had it for the retention period", async () => {
    const { actionId, justice, pardons } = await letterAction(p);
    const one = await writeAndConfirm(p, [justice]);
    const both = await writeAndConfirm(p, [justice, pardons]);
    const batch = await assembleBatch(p.database.db, { actionId, targetId: justice, trigger: "manual", maxBytes: 10_000_000, messageIdDomain: "inkwell.test" });
    expect(batch).not.toBeNull();
    await p.database.db.updateTable("deliveries").set({ status: "sent", sent_at: new Date(Date.now() - 100 * 24 * 3600_000) }).where("id", "=", batch!).execute();
    await runRetention(p.database.db);
    const letterOf = async (email: string) =>
      p.database.db.selectFrom("letters as l").innerJoin("signatures as s", "s.id", "l.signature_id").innerJoin("supporters as u", "u.id", "s.supporter_id")
        .select(["l.body", "l.scrubbed_at"]).where("u.email", "=", email).executeTakeFirstOrThrow();
    expect(await letterOf(one.email)).toMatchObject({ body: "[removed]" });
    expect((await letterOf(both.email)).scrubbed_at).toBeNull();
    expect((await letterOf(both.email)).body).toBe(both.body);
  });

  it("anonymises a closed campaign's supporters after the retention period, keeping the counts", async () => {
    const cleo = await confirmedSupporter("cleo");
    await mailSettled(p);
    const countBefore = await apiCount(p.url);
    await p.database.db.updateTable("campaigns").set({ status: "closed", closed_at: new Date(Date.now() - 366 * 24 * 3600_000) }).execute();
    await runRetention(p.database.db);
    expect(await signatureOf(p.database.db, cleo.email)).toBeUndefined();
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from signatures where anonymised_at is null or name <> ${ANONYMOUS_NAME} or comment is not null or ip_hash is not null`.execute(p.database.db);
    expect(rows[0]!.n).toBe(0);
    const left = await sql<{ n: number }>`select count(*)::int as n from supporters where erased_at is null or email not like 'erased-%@erased.invalid'`.execute(p.database.db);
    expect(left.rows[0]!.n).toBe(0);
    expect(await apiCount(p.url)).toBe(countBefore);
    expect((await runRetention(p.database.db)).anonymised).toBe(0);
  });
});
