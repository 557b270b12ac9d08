import { Secret, TOTP } from "otpauth";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../support/browser";
import { createCampaigner } from "../support/campaigner";
import { startTestPlatform, type TestPlatform } from "../support/platform";

const PERIOD_MS = 30_000;
const codeAt = (key: string, step: number) => new TOTP({ secret: Secret.fromBase32(key), digits: 6, period: 30 }).generate({ timestamp: step * PERIOD_MS });

/**
 * A code the server has not seen yet: the current step's, or the next one's when the current was
 * just used. Either is inside the accepted window however long the test has taken so far.
 */
function nextCode(secretBase32: string, lastUsedStep: number): string {
  return codeAt(secretBase32, Math.max(Math.floor(Date.now() / PERIOD_MS), lastUsedStep + 1));
}

/** The current step, after waiting out the last seconds of one, so setting up and signing in fit in a step and the next. */
async function freshStep(): Promise<number> {
  const into = Date.now() % PERIOD_MS;
  if (into > PERIOD_MS - 8_000) await new Promise((r) => setTimeout(r, PERIOD_MS - into + 50));
  return Math.floor(Date.now() / PERIOD_MS);
}

describe("a campaigner sets up two-step sign-in and signs in with it", () => {
  let p: TestPlatform;
  let browser: Browser;
  beforeAll(async () => {
    p = await startTestPlatform({ worker: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it.each([["without JavaScript", false], ["with JavaScript", true]] as const)("%s", async (_name, javaScript) => {
    const account = await createCampaigner(p.database.db, { tag: javaScript ? "js" : "nojs" });
    const context = await newContext(browser, p, { javaScript });
    const page = await context.newPage();
    try {
      await page.goto("/admin/sign-in");
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Campaigns" }).waitFor();

      await page.getByRole("link", { name: "Account" }).click();
      await page.getByRole("link", { name: "Set up two-step sign-in" }).click();
      await page.getByRole("heading", { level: 1, name: "Two-step sign-in" }).waitFor();
      expect(await page.getByRole("img", { name: "QR code for your authenticator app" }).locator("svg").count()).toBe(1);
      const key = (await page.locator("code.secret").innerText()).replace(/\s+/g, "");
      const step = await freshStep();
      await page.getByLabel("Code from the app").fill(codeAt(key, step));
      await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
      await page.getByRole("heading", { name: /Save your recovery codes/ }).waitFor();
      expect(await page.locator(".recovery-codes li").count()).toBe(10);
      await page.getByRole("link", { name: "I have saved them" }).click();
      await page.getByRole("link", { name: "Manage two-step sign-in" }).waitFor();

      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Enter your sign-in code" }).waitFor();
      await page.getByLabel("Code", { exact: true }).fill(codeAt(key, step + 40));
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("That code is not right").waitFor();
      await page.getByLabel("Code", { exact: true }).fill(nextCode(key, step));
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Campaigns" }).waitFor();
      await page.getByRole("link", { name: "Account" }).click();
      await page.getByRole("cell", { name: "Authenticator code" }).waitFor();
    } finally {
      await context.close();
    }
  }, 120_000);
});
