import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CONFIRMATION_EMAILS } from "#core/rules";
import { confirmLink, postSign, startTestPlatform, type TestPlatform } from "./support/platform";
import { SENT_PATH, mailSettled, postConfirm, rowCounts, sign, signatureOf, supporter } from "./support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

const mailsTo = (email: string) => p.smtp.to(email);

describe("signing again with the same address", () => {
  it("shows the same page, adds no row and sends exactly one more email", async () => {
    const ana = supporter("ana");
    await sign(p, ana);
    await mailSettled(p);
    const before = await rowCounts(p.database.db);
    const again = await sign(p, { ...ana, email: `\t${ana.email.toUpperCase()}  ` });
    expect(again.headers.get("location")).toBe(SENT_PATH);
    await mailSettled(p);
    expect(await rowCounts(p.database.db)).toMatchObject({ supporters: before.supporters, signatures: before.signatures });
    const mails = mailsTo(ana.email);
    expect(mails).toHaveLength(2);
    const sig = await signatureOf(p.database.db, ana.email);
    expect(mails.map((m) => m.messageId)).toEqual([`<confirm.${sig!.id}.1@inkwell.test>`, `<confirm.${sig!.id}.2@inkwell.test>`]);
    expect(new Set(mails.map((m) => confirmLink(m.text))).size).toBe(2);
  });

  it("sends at most three confirmation emails however often the address signs", async () => {
    const bea = supporter("bea");
    for (let i = 0; i < 5; i++) {
      await sign(p, bea);
      await mailSettled(p);
    }
    expect(mailsTo(bea.email)).toHaveLength(MAX_CONFIRMATION_EMAILS);
    await Promise.all([sign(p, bea), sign(p, bea)]);
    await mailSettled(p);
    expect(mailsTo(bea.email)).toHaveLength(3);
    expect((await signatureOf(p.database.db, bea.email))!.emails_sent).toBe(3);
  });

  it("keeps the name of the first submission: a second one cannot overwrite it", async () => {
    const carmen = supporter("carmen", { name: "Carmen Rojas", comment: "Mine" });
    await sign(p, carmen);
    await sign(p, { ...carmen, name: "Someone Else", comment: "Not mine", country: "ES" });
    const sig = await signatureOf(p.database.db, carmen.email);
    expect(sig).toMatchObject({ name: "Carmen Rojas", comment: "Mine", country: "PE" });
    await mailSettled(p);
    for (const mail of mailsTo(carmen.email)) expect(mail.text).toContain("Dear Carmen Rojas,");
  });

  it("lets any earlier link still confirm after a resend", async () => {
    const diego = supporter("diego");
    await sign(p, diego);
    await sign(p, diego);
    await mailSettled(p);
    const [first] = mailsTo(diego.email);
    const res = await postConfirm(confirmLink(first!.text));
    expect(res.status).toBe(302);
    expect((await signatureOf(p.database.db, diego.email))!.status).toBe("confirmed");
  });

  it("sends a confirmed supporter who signs again to the same page, with no email", async () => {
    const eva = supporter("eva");
    await sign(p, eva);
    await mailSettled(p);
    expect((await postConfirm(confirmLink(mailsTo(eva.email)[0]!.text))).status).toBe(302);
    const again = await postSign(p.url, { ...eva, name: "Eva Changed" });
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe(SENT_PATH);
    await mailSettled(p);
    expect(mailsTo(eva.email)).toHaveLength(1);
    expect(await signatureOf(p.database.db, eva.email)).toMatchObject({ status: "confirmed", name: eva.name });
  });

  it("answers a new and a known address identically, revealing nothing", async () => {
    const known = supporter("known");
    await sign(p, known);
    const fresh = supporter("fresh");
    const [a, b] = await Promise.all([postSign(p.url, known), postSign(p.url, fresh)]);
    expect([a.status, a.headers.get("location"), await a.text()]).toEqual([b.status, b.headers.get("location"), await b.text()]);
  });
});

describe("concurrent submissions", () => {
  it("turns ten simultaneous submissions of one address into exactly one signature", async () => {
    const fatima = supporter("fatima");
    const variants = Array.from({ length: 10 }, (_, i) => (i % 2 ? fatima.email.toUpperCase() : ` ${fatima.email}`));
    const responses = await Promise.all(variants.map((email) => postSign(p.url, { ...fatima, email })));
    expect(responses.map((r) => [r.status, r.headers.get("location")])).toEqual(variants.map(() => [302, SENT_PATH]));
    const rows = await p.database.db
      .selectFrom("signatures as s").innerJoin("supporters as u", "u.id", "s.supporter_id")
      .select(["s.id", "s.status"]).where("u.email", "=", fatima.email).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("pending");
    await mailSettled(p);
    // Requests racing each other may let a later email supersede an earlier one; never more than three.
    expect(mailsTo(fatima.email).length).toBeGreaterThanOrEqual(1);
    expect(mailsTo(fatima.email).length).toBeLessThanOrEqual(MAX_CONFIRMATION_EMAILS);
  });
});
