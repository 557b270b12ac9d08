import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverAction } from "#services/deliveries";
import { csvOf, letterAction, OFFICIALS, pdfOf, pdfPages, writeAndConfirm } from "../support/letters";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { signAndGetLink, supporter } from "../support/supporter";

describe("letters delivered to officials in batches", () => {
  let p: TestPlatform;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  const writers: { name: string; email: string; to: number[] }[] = [];
  const officialMail = (email: string) => p.smtp.messages.filter((m) => m.to.includes(email));

  beforeAll(async () => {
    p = await startTestPlatform();
    ids = await letterAction(p);
    const plan = [[ids.justice, ids.pardons], [ids.justice, ids.pardons], [ids.justice], [ids.pardons], [ids.justice, ids.pardons]];
    for (const to of plan) writers.push({ ...(await writeAndConfirm(p, to)), to });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("sends each official exactly one email carrying exactly their letters", async () => {
    const result = await deliverAction(p.database.db, ids.actionId, { trigger: "manual" });
    expect(result.batches).toHaveLength(2);
    for (const [official, targetId] of [[OFFICIALS.justice, ids.justice], [OFFICIALS.pardons, ids.pardons]] as const) {
      const [mail] = await eventually(async () => officialMail(official).length === 1 && officialMail(official), 15_000, official);
      const expected = writers.filter((w) => w.to.includes(targetId)).map((w) => w.name).sort();
      const csv = csvOf(mail!);
      expect(csv[0]).toHaveLength(5); // name, country, date, subject, letter — in the official's language
      expect(csv.slice(1).map((r) => r[0]).sort()).toEqual(expected);
      expect(pdfPages(pdfOf(mail!))).toBeGreaterThanOrEqual(expected.length);
      expect(mail!.parsed.replyTo?.text).toContain("peru-campaign@inkwell.example");
      expect(mail!.messageId).toMatch(/^<delivery\.\d+\.1@inkwell\.test>$/);
      expect(mail!.subject).toContain(String(expected.length));
      for (const w of writers) expect(mail!.raw).not.toContain(w.email);
    }
  });

  it("sends nothing when it runs again with nothing new", async () => {
    const before = p.smtp.messages.length;
    const again = await deliverAction(p.database.db, ids.actionId, { trigger: "manual" });
    expect(again.batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(p.smtp.messages.length).toBe(before);
  });

  it("sends only the new letter next time, counting the total to date", async () => {
    const late = await writeAndConfirm(p, [ids.justice]);
    const result = await deliverAction(p.database.db, ids.actionId, { trigger: "manual" });
    expect(result.batches).toHaveLength(1);
    const mails = await eventually(async () => officialMail(OFFICIALS.justice).length === 2 && officialMail(OFFICIALS.justice), 15_000, "second batch");
    const rows = csvOf(mails[1]!).slice(1);
    expect(rows.map((r) => r[0])).toEqual([late.name]);
    const delivery = await eventually(async () => {
      const d = await p.database.db.selectFrom("deliveries").selectAll().where("id", "=", result.batches[0]!).executeTakeFirstOrThrow();
      return d.status === "sent" && d;
    }, 10_000, "batch marked sent");
    expect(delivery).toMatchObject({ seq: 2, items: 1, items_to_date: 5, status: "sent" });
    expect(officialMail(OFFICIALS.pardons)).toHaveLength(1);
  });

  it("shows the delivery log on the public campaign page", async () => {
    const html = await (await fetch(`${p.url}/campaigns/peru-innocent-prisoners`, { headers: { "Accept-Language": "en" } })).text();
    expect(html).toMatch(/5 letters delivered to Ministro de Justicia/);
    expect(html).toMatch(/4 letters delivered to Presidente de la Comisión Especial de Indultos/);
  });

  it("delivers a petition as a pack of its signers to every official of the action", async () => {
    const signers = [supporter("petition"), supporter("petition", { comment: "=HYPERLINK(\"x\")" })];
    for (const f of signers) {
      const res = await fetch(await signAndGetLink(p, f), { method: "POST", redirect: "manual" });
      expect(res.status).toBe(302);
    }
    const action = await p.database.db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow();
    const { batches } = await deliverAction(p.database.db, action.id, { trigger: "manual" });
    expect(batches).toHaveLength(3);
    const president = await eventually(async () => p.smtp.messages.find((m) => m.to.includes("despacho.presidencial@gob-pe.example")), 15_000, "pack");
    const rows = csvOf(president).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(signers.map((f) => f.name).sort());
    expect(rows.flat()).toContain("'=HYPERLINK(\"x\")");
    expect(president.parsed.attachments.map((a) => a.contentType).sort()).toEqual(["application/pdf", "text/csv"]);
    for (const f of signers) expect(president.raw).not.toContain(f.email);
  });
});
