import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fanOutUpdate } from "#jobs/updates";
import { launchBrowser, newContext } from "../support/browser";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { addSupporter, draftUpdate, listUnsubscribeUrl, markDue, sentUpdate } from "./support";

describe("a supporter unsubscribes from the email's footer link, in a browser", () => {
  let p: TestPlatform;
  let browser: Browser;

  beforeAll(async () => {
    process.env.MAIL_RATE_PER_SECOND = "100";
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  for (const javaScript of [false, true]) {
    it(`unsubscribes, resubscribes and leaves every campaign with JavaScript ${javaScript ? "on" : "off"}, in Spanish`, async () => {
      const db = p.database.db;
      const email = `browser.${javaScript}.${process.pid}@example.org`;
      const supporterId = await addSupporter(db, { email, language: "es" });
      const updateId = await draftUpdate(db);
      await markDue(db, updateId);
      await fanOutUpdate(db, updateId);
      await sentUpdate(p, updateId);
      const url = listUnsubscribeUrl(p.smtp.to(email)[0]!);

      const context = await newContext(browser, p, { javaScript, language: "es" });
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole("heading", { name: "¿Dejar de recibir estas novedades?" }).waitFor();
      const subscriptions = () => db.selectFrom("subscriptions").select("unsubscribed_at").where("supporter_id", "=", supporterId).executeTakeFirst();
      expect(await subscriptions()).toBeUndefined(); // opening the page changed nothing

      await page.getByRole("button", { name: "Darme de baja" }).click();
      await page.getByRole("heading", { name: "Te diste de baja" }).waitFor();
      expect((await subscriptions())?.unsubscribed_at).toBeInstanceOf(Date);

      await page.getByRole("button", { name: "Volver a suscribirme" }).click();
      await page.getByRole("heading", { name: "Vuelves a estar suscrito/a" }).waitFor();
      expect((await subscriptions())?.unsubscribed_at).toBeNull();

      await page.getByRole("button", { name: "Salir de todas las campañas" }).click();
      await page.getByRole("heading", { name: "Saliste de todas las campañas" }).waitFor();
      const suppressed = await db.selectFrom("suppressions").select("reason").where("supporter_id", "=", supporterId).executeTakeFirst();
      expect(suppressed?.reason).toBe("unsubscribed");
      await context.close();
    });
  }
});
