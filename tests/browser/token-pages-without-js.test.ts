import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { unsubscribeUrl } from "#emails/unsubscribe-link";
import { confirmationLinkFor, fillSignForm, launchBrowser, newContext, signatureState } from "../support/browser";
import { createCampaigner } from "../support/campaigner";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { addSupporter } from "../updates/support";

// Each page below is reached through a link that carries a secret token. Its form must post from a
// browser without JavaScript (the browser sends its own Origin), while the token stays out of the
// Referer that other sites would see.
describe("token pages work without JavaScript", () => {
  let p: TestPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });
  beforeEach(async () => {
    context = await newContext(browser, p, { javaScript: false });
    page = await context.newPage();
  });
  afterEach(async () => context?.close());

  const keepsTokenOnSite = (res: Response | null) => {
    expect(res?.status()).toBe(200);
    expect(res?.headers()["referrer-policy"]).toBe("same-origin");
  };

  it("confirm: the emailed link's button confirms the signature", async () => {
    const email = `confirm.nojs.${process.pid}@example.org`;
    await page.goto(`/campaigns/${DEMO.campaign}/${DEMO.action}`);
    await fillSignForm(page, { name: "Ana Quispe", email, country: "Peru" });
    await page.getByRole("button", { name: "Sign now" }).click();
    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    keepsTokenOnSite(await page.goto(await confirmationLinkFor(p, email)));
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    await page.getByRole("heading", { level: 1, name: "Thank you: your signature counts" }).waitFor();
    expect((await signatureState(p, email))?.status).toBe("confirmed");
  });

  it("unsubscribe choices: the footer link's button unsubscribes", async () => {
    const email = `unsub.nojs.${process.pid}@example.org`;
    const supporterId = await addSupporter(p.database.db, { email });
    const campaign = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    keepsTokenOnSite(await page.goto(unsubscribeUrl(supporterId, campaign.id)));
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
    const row = await p.database.db.selectFrom("subscriptions").select("unsubscribed_at").where("supporter_id", "=", supporterId).executeTakeFirst();
    expect(row?.unsubscribed_at).toBeInstanceOf(Date);
  });

  it("my data: the emailed link's erase form erases the supporter's data", async () => {
    const email = `erase.nojs.${process.pid}@example.org`;
    const supporterId = await addSupporter(p.database.db, { email });
    await page.goto("/privacy/my-data");
    await page.getByLabel("Email address", { exact: true }).fill(email);
    await page.getByRole("button", { name: "Email me the link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const mail = await eventually(async () => p.smtp.to(email)[0], 20_000, "the privacy link email");
    const link = /https?:\/\/\S+\/privacy\/my-data\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    keepsTokenOnSite(await page.goto(link));
    await page.getByRole("link", { name: "Erase my data" }).click();
    const erase = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Yes, erase my data" }).click();
    expect((await erase).status()).toBe(200);
    await page.getByRole("heading", { name: "Your data is erased" }).waitFor();
    const row = await p.database.db.selectFrom("supporters").select("erased_at").where("id", "=", supporterId).executeTakeFirstOrThrow();
    expect(row.erased_at).toBeInstanceOf(Date);
  });

  it("password reset: the emailed link's form sets a new password, which then signs in", { timeout: 120_000 }, async () => {
    const account = await createCampaigner(p.database.db, { tag: "nojs" });
    await page.goto("/admin/forgot-password");
    await page.getByLabel("Email", { exact: true }).fill(account.email);
    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const mail = await eventually(async () => p.smtp.to(account.email)[0], 20_000, "the reset email");
    const link = /https?:\/\/\S+\/admin\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    keepsTokenOnSite(await page.goto(link));
    const fresh = "a new password typed without scripts";
    await page.getByLabel("New password", { exact: true }).fill(fresh);
    await page.getByLabel("The same password again", { exact: true }).fill(fresh);
    await page.getByRole("button", { name: "Save and sign in again" }).click();
    await page.waitForURL(/\/admin\/sign-in\?reset=1$/);
    await page.getByLabel("Email", { exact: true }).fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill(fresh);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/admin$/);
  });
});
