import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { invalidateHeld, releaseHeld } from "#db/queries/suspicious";
import { unsubscribeRef } from "#emails/unsubscribe-link";
import { DEMO, eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { ACTION_PATH, fieldError, mailSettled, mailTo, postConfirm, rowCounts, SENT_PATH, sign, signAndGetLink, signatureOf, supporter } from "../support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  Object.assign(process.env, { RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: "5", SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: "3", RATE_LIMIT_UNSUBSCRIBE_PER_IP_PER_MINUTE: "3" });
  p = await startTestPlatform({ limits: true });
});
afterAll(async () => {
  await p?.stop();
});

const from = (ip: string) => ({ "X-Forwarded-For": ip });

describe("abuse resistance on the sign form", () => {
  it("limits a burst from one IP with a 429 page saying when to retry, and writes nothing", async () => {
    for (let i = 0; i < 5; i++) await sign(p, supporter(`burst${i}`), from("203.0.113.10"));
    await mailSettled(p);
    const before = await rowCounts(p.database.db);
    const res = await postSign(p.url, supporter("burst-over"), ACTION_PATH, from("203.0.113.10"));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.text()).toContain("Too many attempts from here");
    expect(await rowCounts(p.database.db)).toEqual(before);
    // Someone else, elsewhere, is not affected.
    await sign(p, supporter("elsewhere"), from("203.0.113.11"));
  });

  it("holds signatures past the per-IP threshold without telling the sender, until a campaigner releases them", async () => {
    const people = Array.from({ length: 5 }, (_, i) => supporter(`held${i}`));
    for (const person of people) {
      const res = await postSign(p.url, person, ACTION_PATH, from("198.51.100.7"));
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(SENT_PATH);
    }
    // Every one gets the same confirmation email and the same thank-you page.
    for (const person of people) {
      const link = (await mailTo(p, person.email)).text.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/)![0];
      const res = await postConfirm(link);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toContain("/thanks");
    }
    const rows = await Promise.all(people.map((x) => signatureOf(p.database.db, x.email)));
    expect(rows.map((r) => r!.held_at !== null)).toEqual([false, false, false, true, true]);
    await eventually(async () => (await Promise.all(people.slice(0, 3).map((x) => signatureOf(p.database.db, x.email)))).every((r) => r!.counted), 10_000, "unheld signatures counted");
    await new Promise((r) => setTimeout(r, 1_200)); // two folds later, the held ones are still not counted
    expect((await signatureOf(p.database.db, people[3]!.email))!.counted).toBe(false);

    const actionId = rows[0]!.action_id;
    expect(await releaseHeld(p.database.db, actionId, [rows[3]!.id])).toEqual([rows[3]!.id]);
    await eventually(async () => (await signatureOf(p.database.db, people[3]!.email))!.counted, 10_000, "released signature counted");
    expect(await invalidateHeld(p.database.db, actionId, [rows[4]!.id], "same person, many names")).toEqual([rows[4]!.id]);
    const invalid = await signatureOf(p.database.db, people[4]!.email);
    expect(invalid).toMatchObject({ status: "invalidated", counted: false, invalidated_reason: "same person, many names", held_at: null });
  });

  it("pretends success to a robot that fills the honeypot, and writes nothing", async () => {
    await mailSettled(p);
    const before = await rowCounts(p.database.db);
    const bot = supporter("bot", { hp_note: "http://spam.example" });
    const res = await postSign(p.url, bot, ACTION_PATH, from("192.0.2.50"));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(SENT_PATH);
    expect(await rowCounts(p.database.db)).toEqual(before);
  });

  it("refuses a form posted from another site with 403, and accepts one from our own pages", async () => {
    await mailSettled(p);
    const before = await rowCounts(p.database.db);
    const foreign: Record<string, string>[] = [{ Origin: "https://evil.example" }, { Origin: "null" }, { Referer: "https://evil.example/page" }, { "Sec-Fetch-Site": "cross-site" }];
    for (const headers of foreign) {
      const res = await postSign(p.url, supporter("xsite"), ACTION_PATH, { ...from("192.0.2.60"), ...headers });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("can only be sent from");
    }
    expect(await rowCounts(p.database.db)).toEqual(before);
    await sign(p, supporter("samesite"), { ...from("192.0.2.60"), Origin: p.url, "Sec-Fetch-Site": "same-origin" });
  });

  it("treats Gmail dots, +tags and googlemail.com as the same supporter", async () => {
    const local = `ana.quispe${process.pid}`;
    await signAndGetLink(p, supporter("canon", { email: `${local}@gmail.com` }));
    await sign(p, supporter("canon2", { email: `${local.replace(".", "")}+peru@GoogleMail.com` }), from("192.0.2.70"));
    const first = await signatureOf(p.database.db, `${local}@gmail.com`);
    expect(first!.emails_requested).toBe(2);
    expect(await signatureOf(p.database.db, `${local.replace(".", "")}+peru@googlemail.com`)).toBeUndefined();
    // The second link goes to the address on file, which is the same inbox.
    await mailTo(p, `${local}@gmail.com`, 2);
    // +tags elsewhere are kept: another domain, another person.
    await sign(p, supporter("canon3", { email: `ana+${process.pid}@example.org` }), from("192.0.2.70"));
    expect(await signatureOf(p.database.db, `ana+${process.pid}@example.org`)).toBeDefined();
  });

  it("refuses malformed UTF-8 in a form body next to the field, writing nothing", async () => {
    await mailSettled(p);
    const before = await rowCounts(p.database.db);
    const person = supporter("utf8");
    const body = `${new URLSearchParams({ ...person, name: "" })}`.replace("name=", "name=Ana%C0%AF%ED%A0%80Quispe");
    const res = await fetch(p.url + ACTION_PATH, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", ...from("192.0.2.90") }, body });
    expect(res.status).toBe(400);
    expect(fieldError(await res.text(), "name")).toBe(en.errors.controlChars);
    expect(await rowCounts(p.database.db)).toEqual(before);
  });

  it("refuses a disposable address with a message next to the email field", async () => {
    await mailSettled(p);
    const before = await rowCounts(p.database.db);
    for (const email of ["someone@mailinator.com", "someone@eu.mailinator.com", "x@YOPMAIL.com"]) {
      const res = await postSign(p.url, supporter("throwaway", { email }), ACTION_PATH, from("192.0.2.80"));
      expect(res.status).toBe(400);
      expect(fieldError(await res.text(), "email")).toBe(en.errors.disposable);
    }
    expect(await rowCounts(p.database.db)).toEqual(before);
  });
});

describe("one rule for the client address", () => {
  const post = (path: string, fields: Record<string, string>) =>
    fetch(p.url + path, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });

  // Everything here connects from 127.0.0.1 and forwards no address, as behind a proxy that sends none.
  it("limits signing from loopback like any other address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7 && !statuses.includes(429); i++) statuses.push((await postSign(p.url, supporter(`loop${i}`), ACTION_PATH)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 302).length).toBeLessThanOrEqual(5);
  });

  it("limits data requests and unsubscribe posts from loopback per address", async () => {
    const privacy: number[] = [];
    for (let i = 0; i < 7 && !privacy.includes(429); i++) privacy.push((await post("/privacy/my-data", { email: `loop-data${i}.${process.pid}@example.org` })).status);
    expect(privacy.at(-1)).toBe(429);
    const campaign = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    const unsubscribe: number[] = [];
    for (let i = 0; i < 4; i++) unsubscribe.push((await post(`/unsubscribe/${unsubscribeRef(900_000 + i, campaign.id)}`, { "List-Unsubscribe": "One-Click" })).status);
    expect(unsubscribe.slice(0, 3)).not.toContain(429);
    expect(unsubscribe[3]).toBe(429);
  });
});
