import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { emailMessages } from "#emails/messages";
import { sweepSignatures } from "#jobs/maintenance";
import { confirmLink, startTestPlatform, type TestPlatform } from "./support/platform";
import { mailSettled, mailTo, page, postConfirm, sign, signatureOf, supporter } from "./support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

/** Moves a signature back in time, as if it had been made `interval` ago. */
async function age(email: string, interval: string) {
  const sig = await signatureOf(p.database.db, email);
  await p.database.db.updateTable("signatures").set({ created_at: sql`now() - ${interval}::interval` }).where("id", "=", sig!.id).execute();
  return sig!;
}

const tokensOf = async (signatureId: number) =>
  (await p.database.db.selectFrom("tokens").select("hash").where("signature_id", "=", signatureId).execute()).length;

describe("reminders", () => {
  it("sends a day-old pending signature exactly one reminder", async () => {
    const ana = supporter("ana");
    await sign(p, ana);
    await mailTo(p, ana.email);
    await mailSettled(p);
    const sig = await age(ana.email, "25 hours");
    await sweepSignatures(p.database.db);
    const reminder = await mailTo(p, ana.email, 2);
    expect(reminder.subject).toBe(emailMessages("en").reminderSubject);
    expect(reminder.messageId).toBe(`<confirm.${sig.id}.2@inkwell.test>`);
    expect(reminder.text).toContain(emailMessages("en").reminderAsk);
    await sweepSignatures(p.database.db);
    await sweepSignatures(p.database.db);
    await mailSettled(p);
    const mails = p.smtp.to(ana.email);
    expect(mails.map((m) => m.subject)).toEqual([emailMessages("en").confirmSubject, emailMessages("en").reminderSubject]);
    expect((await page(confirmLink(reminder.text))).status).toBe(200);
  });

  it("reminds a Spanish speaker in Spanish", async () => {
    const carmen = supporter("carmen");
    await sign(p, carmen, { "Accept-Language": "es" });
    await mailTo(p, carmen.email);
    await mailSettled(p);
    await age(carmen.email, "25 hours");
    await sweepSignatures(p.database.db);
    expect((await mailTo(p, carmen.email, 2)).subject).toBe(emailMessages("es").reminderSubject);
  });

  it("sends no reminder to a signature already confirmed", async () => {
    const diego = supporter("diego");
    await sign(p, diego);
    expect((await postConfirm(confirmLink((await mailTo(p, diego.email)).text))).status).toBe(302);
    await age(diego.email, "25 hours");
    await sweepSignatures(p.database.db);
    await mailSettled(p);
    expect(p.smtp.to(diego.email)).toHaveLength(1);
  });
});

describe("expiry", () => {
  const bea = supporter("bea");
  let firstLink = "";
  let reminderLink = "";
  let signatureId = 0;

  it("expires a signature left unconfirmed for a week, removes its tokens and kills its links", async () => {
    await sign(p, bea);
    firstLink = confirmLink((await mailTo(p, bea.email)).text);
    await mailSettled(p);
    await age(bea.email, "25 hours");
    await sweepSignatures(p.database.db);
    reminderLink = confirmLink((await mailTo(p, bea.email, 2)).text);
    await mailSettled(p);
    signatureId = (await age(bea.email, "8 days")).id;
    await sweepSignatures(p.database.db);

    const sig = await signatureOf(p.database.db, bea.email);
    expect(sig!.status).toBe("expired");
    expect(sig!.expired_at).toBeInstanceOf(Date);
    expect(await tokensOf(signatureId)).toBe(0);
    for (const link of [firstLink, reminderLink]) {
      const get = await page(link);
      expect(get.status).toBe(404);
      expect(get.html).toContain(en.confirm.invalidTitle);
      const post = await postConfirm(link);
      expect(post.status).toBe(404);
      await post.text();
    }
    expect((await signatureOf(p.database.db, bea.email))!.status).toBe("expired");
  });

  it("starts over with a new email when the supporter signs again after expiry", async () => {
    await sign(p, { ...bea, name: "Bea Again" });
    const fresh = await mailTo(p, bea.email, 3);
    const earlier = p.smtp.to(bea.email).slice(0, 2);
    expect(fresh.subject).toBe(emailMessages("en").confirmSubject);
    expect(earlier.map((m) => m.messageId)).not.toContain(fresh.messageId);
    const link = confirmLink(fresh.text);
    expect([firstLink, reminderLink]).not.toContain(link);
    expect(await signatureOf(p.database.db, bea.email)).toMatchObject({ status: "pending", name: "Bea Again" });
    expect(fresh.text).toContain("Dear Bea Again,");
    const rows = await p.database.db.selectFrom("signatures").select("id").where("supporter_id", "=", (await signatureOf(p.database.db, bea.email))!.supporter_id).execute();
    expect(rows).toHaveLength(1);
    expect((await page(link)).status).toBe(200);
    expect((await postConfirm(link)).status).toBe(302);
    expect((await signatureOf(p.database.db, bea.email))!.status).toBe("confirmed");
    expect((await page(firstLink)).status).toBe(404);
  });
});
