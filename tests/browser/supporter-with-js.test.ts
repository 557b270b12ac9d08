import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PETITIONS,
  actionCard,
  confirmationLinkFor,
  describedText,
  fillSignForm,
  hydrated,
  launchBrowser,
  newContext,
  reloadUntilCount,
  shownCount,
  signatureState,
} from "../support/browser";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

const CAMPAIGN_TITLE = "Free Peru's innocent prisoners";
const ACTION_PATH = `/campaigns/${DEMO.campaign}/${DEMO.action}`;

describe("a supporter signs in a browser with JavaScript", () => {
  let p: TestPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
    context = await newContext(browser, p, { javaScript: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it("finds the campaign, signs, confirms from the email and sees the count move", async () => {
    await page.goto("/");
    const listed = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: CAMPAIGN_TITLE }) });
    await listed.getByRole("progressbar").waitFor();
    await listed.getByRole("link", { name: CAMPAIGN_TITLE }).click();

    await page.getByRole("heading", { level: 1, name: CAMPAIGN_TITLE }).waitFor();
    expect(await page.getByText(/In 1992 Peru adopted sweeping/).isVisible()).toBe(true);
    const actions = page.getByRole("complementary", { name: "Take action" });
    for (const title of Object.values(PETITIONS)) {
      const card = actionCard(page, title);
      expect(await actions.getByRole("heading", { name: title }).isVisible()).toBe(true);
      expect(await shownCount(card)).toBeGreaterThanOrEqual(0);
    }
    const before = await shownCount(actionCard(page, PETITIONS.free));

    await actionCard(page, PETITIONS.free).getByRole("link", { name: "Sign", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: PETITIONS.free }).waitFor();
    expect(new URL(page.url()).pathname).toBe(ACTION_PATH);
    await hydrated(page);

    const email = "ana.quispe.js@example.org";
    await fillSignForm(page, { name: "Ana Quispe", email, country: "Peru", postalCode: "15001", comment: "No one should be jailed for a crime they did not commit." });
    expect(await page.getByLabel(/Email me updates/).isChecked()).toBe(false);
    await page.getByRole("button", { name: "Sign now" }).click();

    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${ACTION_PATH}/sent`);

    const link = await confirmationLinkFor(p, email);
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "Confirm your signature" }).waitFor();
    // Opening the link (as a mail scanner would) changes nothing; the button does.
    expect((await signatureState(p, email))?.status).toBe("pending");

    await hydrated(page);
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    await page.getByRole("heading", { level: 1, name: "Thank you: your signature counts" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${ACTION_PATH}/thanks`);
    const whatsapp = await page.getByRole("link", { name: "WhatsApp" }).getAttribute("href");
    expect(whatsapp).toContain(encodeURIComponent(`${p.url}${ACTION_PATH}`));
    for (const name of ["Email", "X", "Facebook", "Bluesky"]) {
      expect(await page.getByRole("link", { name, exact: true }).isVisible()).toBe(true);
    }
    expect(await page.getByRole("button", { name: "Copy link" }).isVisible()).toBe(true);

    const state = await signatureState(p, email);
    expect(state).toMatchObject({ status: "confirmed", updates_opt_in: false });

    await page.getByRole("link", { name: "See the campaign" }).click();
    await page.getByRole("heading", { level: 1, name: CAMPAIGN_TITLE }).waitFor();
    expect(await reloadUntilCount(page, PETITIONS.free, before + 1)).toBe(before + 1);
  });

  it("shows a bad email address next to the field without reloading the page", async () => {
    await page.goto(ACTION_PATH);
    await hydrated(page);
    await fillSignForm(page, { name: "Luis Huamán", email: "luis.huaman@", country: "Peru" });
    await page.evaluate(() => Object.assign(window, { stillThisPage: true }));

    await page.getByRole("button", { name: "Sign now" }).click();

    const emailField = page.getByLabel("Email address", { exact: true });
    await page.getByText("Enter a valid email address, like name@example.org.").waitFor();
    expect(await emailField.getAttribute("aria-invalid")).toBe("true");
    expect(await describedText(emailField)).toContain("Enter a valid email address");
    expect(await page.evaluate(() => (window as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    expect(new URL(page.url()).pathname).toBe(ACTION_PATH);
    expect(await emailField.inputValue()).toBe("luis.huaman@");
    expect(await page.getByLabel("Full name", { exact: true }).inputValue()).toBe("Luis Huamán");

    // Correcting the address clears the message as the supporter types.
    await emailField.fill("luis.huaman@example.org");
    await page.getByText("Enter a valid email address, like name@example.org.").waitFor({ state: "hidden" });
    expect(await emailField.getAttribute("aria-invalid")).toBeNull();
    expect(await signatureState(p, "luis.huaman@example.org")).toBeUndefined();
  });
});
