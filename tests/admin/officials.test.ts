import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaigner, signIn, type SignedIn } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { shown } from "./page-text";

let p: TestPlatform;
let me: SignedIn;
let stranger: SignedIn;
let admin: SignedIn;
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  const demo = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
  [me, stranger, admin] = await Promise.all([
    createCampaigner(p.database.db, { campaignIds: [demo.id], tag: "me" }).then((a) => signIn(p.url, a)),
    createCampaigner(p.database.db, { tag: "stranger" }).then((a) => signIn(p.url, a)),
    createCampaigner(p.database.db, { role: "admin", tag: "admin" }).then((a) => signIn(p.url, a)),
  ]);
});
afterAll(async () => p?.stop());

const official = (fields: Record<string, string> = {}) => ({
  name: "Rosa Mendoza", title: "President of the Pardon Commission", organisation: "Pardon Commission", country: "PE",
  email: "rosa.mendoza@comision.example", postalAddress: "Av. Abancay s/n, Lima", language: "es", timeZone: "America/Lima", ...fields,
});
const targets = async () => Number((await p.database.db.selectFrom("targets").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

function upload(session: SignedIn, csv: string | Blob, csrf = session.csrf) {
  const form = new FormData();
  form.append("csrf", csrf);
  form.append("file", csv instanceof Blob ? csv : new Blob([csv], { type: "text/csv" }), "officials.csv");
  return session.fetch("/admin/officials/import", { method: "POST", headers: { Origin: p.url }, body: form });
}

describe("officials directory", () => {
  let id: number;

  it("adds an official, finds them by search, edits them, all audited", async () => {
    const res = await me.post("/admin/officials/new", official());
    expect(res.status).toBe(302);
    id = Number(/\/admin\/officials\/(\d+)$/.exec(res.headers.get("location")!)![1]);
    const search = await (await me.fetch("/admin/officials?q=pardon")).text();
    expect(shown(search)).toContain("Rosa Mendoza");
    expect(shown(await (await me.fetch("/admin/officials?q=nobody-by-that-name")).text())).toContain("No official matches that search.");
    expect((await me.post(`/admin/officials/${id}`, official({ timeZone: "Europe/Madrid", country: "es" }))).status).toBe(200);
    const row = await p.database.db.selectFrom("targets").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ time_zone: "Europe/Madrid", country: "ES", postal_address: "Av. Abancay s/n, Lima" });
    const audit = await p.database.db.selectFrom("audit_log").select("action").where("subject_type", "=", "official").where("subject_id", "=", String(id)).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["official.create", "official.update"]);
  });

  it.each([
    ["an unknown time zone", { timeZone: "Mars/Olympus" }, "Enter a time zone from the IANA list"],
    ["an unknown country code", { country: "XX" }, "Enter a two-letter country code, like PE."],
    ["a bad email", { email: "rosa at comision" }, "Enter a valid email address."],
    ["an empty name", { name: "" }, "Enter the official&#x27;s name."],
    ["a language that is not a BCP 47 tag", { language: "french" }, "Enter the language letters reach them in as a language tag, like es, fr, ar or zh-Hans."],
    ["a language tag with a stray character", { language: "es_PE" }, "Enter the language letters reach them in as a language tag, like es, fr, ar or zh-Hans."],
  ])("bad input: refuses %s next to the field, writing nothing", async (_name, fields, message) => {
    const before = await targets();
    const res = await me.post("/admin/officials/new", official(fields));
    expect(res.status).toBe(400);
    expect(shown(await res.text())).toContain(message);
    expect(await targets()).toBe(before);
  });

  it("takes any BCP 47 language for an official, stored in its canonical form", async () => {
    for (const [given, stored] of [["tr", "tr"], ["zh-hans", "zh-Hans"], ["PT-br", "pt-BR"], ["ar", "ar"]] as const) {
      const res = await me.post("/admin/officials/new", official({ language: given, email: `official-${stored}@example.org` }));
      expect(res.status, given).toBe(302);
      const added = Number(/\/admin\/officials\/(\d+)$/.exec(res.headers.get("location")!)![1]);
      const row = await p.database.db.selectFrom("targets").select("language").where("id", "=", added).executeTakeFirstOrThrow();
      expect(row.language).toBe(stored);
    }
  });

  it("lets only members of every campaign writing to an official change them; admins always", async () => {
    const minister = await p.database.db
      .selectFrom("action_targets")
      .select("target_id")
      .orderBy("target_id")
      .executeTakeFirstOrThrow();
    const path = `/admin/officials/${minister.target_id}`;
    expect(shown(await (await stranger.fetch(path)).text())).toContain("only an admin can change them");
    const refused = await stranger.post(path, official({ name: "Changed by a stranger" }));
    expect(refused.status).toBe(403);
    expect((await me.post(path, official({ name: "Changed by the owner", email: "minister@gob.example" }))).status).toBe(200);
    expect((await admin.post(path, official({ name: "Changed by an admin", email: "minister@gob.example" }))).status).toBe(200);
    const row = await p.database.db.selectFrom("targets").select("name").where("id", "=", minister.target_id).executeTakeFirstOrThrow();
    expect(row.name).toBe("Changed by an admin");
    expect((await me.fetch("/admin/officials/abc")).status).toBe(404);
    expect((await me.fetch("/admin/officials/99999999999999999999")).status).toBe(404);
  });
});

describe("importing officials from CSV", () => {
  it("imports the good rows in one go, updates by email, and reports every row", async () => {
    const before = await targets();
    const csv =
      "name,title,organisation,country,email,postal_address,language,time_zone\r\n" +
      'Carlos Paz,Judge,"Supreme Court, Criminal Chamber",PE,carlos.paz@pj.example,"Palacio de Justicia\nLima",es,America/Lima\r\n' +
      "Rosa Mendoza,President,Pardon Commission,PE,ROSA.MENDOZA@comision.example,,es,America/Lima\r\n" +
      "No Zone,Judge,Court,PE,,,es,Lima/Peru\r\n" +
      ",Judge,Court,PE,,,es,UTC\r\n" +
      "Too,few,fields\r\n" +
      "Anne Smith,Ambassador,Embassy,GB,,,en,\r\n";
    const res = await upload(me, csv);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(shown(html)).toContain("2 imported, 1 updated, 3 failed.");
    const cells = [...html.matchAll(/<tr><td class="num">(\d+)<\/td><td>([^<]*)<\/td><td class="(\w+)">/g)].map((m) => [Number(m[1]), m[3]]);
    expect(cells).toEqual([[2, "imported"], [3, "updated"], [4, "failed"], [5, "failed"], [6, "failed"], [7, "imported"]]);
    expect(shown(html)).toContain("time_zone: Enter a time zone from the IANA list");
    expect(shown(html)).toContain("name: Enter the official");
    expect(shown(html)).toContain("has 3 fields where the header has 8");
    expect(await targets()).toBe(before + 2);
    const carlos = await p.database.db.selectFrom("targets").selectAll().where("email", "=", "carlos.paz@pj.example").executeTakeFirstOrThrow();
    expect(carlos).toMatchObject({ organisation: "Supreme Court, Criminal Chamber", postal_address: "Palacio de Justicia\nLima" });
    const anne = await p.database.db.selectFrom("targets").select("time_zone").where("name", "=", "Anne Smith").executeTakeFirstOrThrow();
    expect(anne.time_zone).toBe("UTC");
    const audit = await p.database.db.selectFrom("audit_log").select("details").where("action", "=", "official.import").execute();
    expect(audit.map((a) => a.details)).toEqual([{ imported: 2, updated: 1 }]);
  });

  it.each([
    ["an unclosed quote", 'name,title,organisation,country\nAna,"Minister,Ministry,PE\n', "not valid CSV: A quoted field is never closed (line 2)"],
    ["a missing column", "name,title\nAna,Minister\n", "country are missing"],
    ["an unknown column", "name,title,organisation,country,phone\nAna,Minister,Ministry,PE,123\n", "Unknown column phone"],
    ["text that is not UTF-8", new Blob([new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x41])]), "not UTF-8"],
  ])("bad input: a file with %s is refused whole, with a clear message (400)", async (_name, csv, message) => {
    const before = await targets();
    const res = await upload(me, csv);
    expect(res.status).toBe(400);
    expect(shown(await res.text())).toContain(message);
    expect(await targets()).toBe(before);
  });

  it("bad input: a file over 2 MB gets a clear 413 before it is read; nothing written", async () => {
    const before = await targets();
    const big = `name,title,organisation,country\n${"Ana,Minister,Ministry,PE\n".repeat(100_000)}`;
    const res = await upload(me, big);
    expect(res.status).toBe(413);
    expect(shown(await res.text())).toContain("larger than 2 MB");
    expect(await targets()).toBe(before);
  });

  it("bad input: anything but a workspace post keeps the small body limit (413)", async () => {
    const body = new URLSearchParams({ csrf: me.csrf, name: "x".repeat(100 * 1024) });
    const anonymous = await fetch(`${p.url}/admin/officials/new`, { method: "POST", headers: { Origin: p.url, "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(anonymous.status).toBe(413);
    const signedIn = await me.fetch("/admin/officials/new", { method: "POST", headers: { Origin: p.url, "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(signedIn.status).toBe(400);
  });

  it("refuses an upload without the CSRF token (403) and anonymous uploads", async () => {
    expect((await upload(me, "name,title,organisation,country\n", "forged")).status).toBe(403);
    const anonymous = await fetch(`${p.url}/admin/officials/import`, { method: "POST", redirect: "manual", headers: { Origin: p.url }, body: new FormData() });
    expect(anonymous.status).toBe(302);
  });
});
