import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { es } from "#app/i18n/es";
import { confirmLink, startTestPlatform, type TestPlatform } from "./support/platform";
import { ACTION_PATH, SENT_PATH, mailTo as firstMailTo, page, redisDump, sign, signatureOf, supporter, tokenOf, withQueue } from "./support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

const mailTo = (email: string) => firstMailTo(p, email);

describe("signing", () => {
  it("commits a pending signature before the 'check your email' redirect arrives", async () => {
    const ana = supporter("ana", { name: "Ana Quispe", postalCode: "15001", comment: "Free them." });
    await sign(p, { ...ana, email: `  ${ana.email.toUpperCase()} ` });
    const row = await signatureOf(p.database.db, ana.email);
    expect(row).toMatchObject({
      status: "pending", email: ana.email, name: "Ana Quispe", country: "PE", postal_code: "15001", comment: "Free them.",
      language: "en", updates_opt_in: false,
    });
    const sent = await page(p.url + SENT_PATH);
    expect(sent.status).toBe(200);
    expect(sent.html).toContain(en.sent.title);
  });

  it("keeps the exact privacy wording shown, and the updates wording only when the box is ticked", async () => {
    const quiet = supporter("quiet");
    const keen = supporter("keen", { updates: "on" });
    await sign(p, quiet);
    await sign(p, keen);
    const consents = async (email: string) => {
      const sig = await signatureOf(p.database.db, email);
      return p.database.db.selectFrom("consents").select(["kind", "wording", "language", "source", "signature_id"])
        .where("supporter_id", "=", sig!.supporter_id).orderBy("kind").execute();
    };
    const quietSig = await signatureOf(p.database.db, quiet.email);
    expect(await consents(quiet.email)).toEqual([
      { kind: "privacy_notice", wording: en.sign.privacy, language: "en", source: ACTION_PATH, signature_id: quietSig!.id },
    ]);
    const keenRows = await consents(keen.email);
    expect(keenRows.map((c) => [c.kind, c.wording])).toEqual([["privacy_notice", en.sign.privacy], ["updates", en.sign.updates]]);
    expect((await signatureOf(p.database.db, keen.email))!.updates_opt_in).toBe(true);
  });

  it("emails a confirmation link with a deterministic Message-ID, an HTML and a plain-text part", async () => {
    const bea = supporter("bea", { name: "Beatriz Mamani" });
    await sign(p, bea);
    const mail = await mailTo(bea.email);
    const sig = await signatureOf(p.database.db, bea.email);
    expect(mail.to).toContain(bea.email);
    expect(mail.subject).toBe("Please confirm your signature");
    expect(mail.messageId).toBe(`<confirm.${sig!.id}.1@inkwell.test>`);
    expect(mail.parsed.from?.text).toContain("campaigns@inkwell.test");
    expect(mail.text).toContain("Dear Beatriz Mamani,");
    expect(mail.html).toContain("Beatriz Mamani");
    const link = confirmLink(mail.text);
    expect(link).toMatch(new RegExp(`^${p.url}/confirm/[A-Za-z0-9_-]{43}$`));
    expect(mail.html).toContain(`href="${link}"`);
    const confirmPage = await page(link);
    expect(confirmPage.status).toBe(200);
    expect(confirmPage.html).toContain(en.confirm.button);
  });

  it("writes to a Spanish speaker in Spanish, from Accept-Language or the language cookie", async () => {
    const byHeader = supporter("carmen");
    const byCookie = supporter("diego");
    await sign(p, byHeader, { "Accept-Language": "es-PE,es;q=0.9,en;q=0.5" });
    await sign(p, byCookie, { Cookie: "lang=es" });
    for (const who of [byHeader, byCookie]) {
      const mail = await mailTo(who.email);
      expect(mail.subject).toBe("Confirma tu firma");
      expect(mail.text).toContain(`Hola, ${who.name}:`);
      expect(mail.html).toContain('lang="es"');
      const sig = await signatureOf(p.database.db, who.email);
      expect(sig!.language).toBe("es");
      const privacy = await p.database.db.selectFrom("consents").select("wording").where("signature_id", "=", sig!.id).executeTakeFirst();
      expect(privacy!.wording).toBe(es.sign.privacy);
    }
  });

  it("stores only the SHA-256 of the confirmation token, never the token", async () => {
    const eva = supporter("eva");
    await sign(p, eva);
    const token = tokenOf(await mailTo(eva.email));
    const sig = await signatureOf(p.database.db, eva.email);
    const tokens = await p.database.db.selectFrom("tokens").selectAll().where("signature_id", "=", sig!.id).execute();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.hash.equals(createHash("sha256").update(token).digest())).toBe(true);
    expect(tokens[0]!.purpose).toBe("confirm_signature");
    const { rows } = await sql<{ row: string }>`select t::text as row from tokens t`.execute(p.database.db);
    const dump = rows.map((r) => r.row).join("\n");
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(Buffer.from(token).toString("hex"));
  });

  it("puts only ids in job payloads: no email, name or token anywhere in Redis", async () => {
    const fatima = supporter("fatima", { name: "Fátima Huamán", comment: "Por la justicia" });
    await sign(p, fatima);
    const token = tokenOf(await mailTo(fatima.email));
    const sig = await signatureOf(p.database.db, fatima.email);
    const jobs = await withQueue(p, "mail", (q) => q.getJobs(["completed", "waiting", "active", "delayed", "failed"]));
    const mine = jobs.filter((j) => j.data.signatureId === sig!.id);
    expect(mine.map((j) => ({ name: j.name, data: j.data }))).toEqual([{ name: "send-confirmation", data: { signatureId: sig!.id, seq: 1 } }]);
    for (const job of jobs) expect(Object.keys(job.data).sort()).toEqual(["seq", "signatureId"]);
    const dump = await redisDump(p);
    expect(dump).toContain(`${p.prefix}:mail:confirm-${sig!.id}-1`);
    for (const secret of [fatima.email, fatima.name, fatima.comment, token]) expect(dump).not.toContain(secret);
  });
});
