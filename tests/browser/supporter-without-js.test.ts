import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PETITIONS,
  actionCard,
  confirmationLinkFor,
  describedText,
  fillSignForm,
  launchBrowser,
  newContext,
  reloadUntilCount,
  shownCount,
  signatureState,
} from "../support/browser";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

const CAMPAIGN_TITLE = "Free Peru's innocent prisoners";
const ACTION_PATH = `/campaigns/${DEMO.campaign}/${DEMO.action}`;

describe("a supporter signs in a browser without JavaScript", () => {
  let p: TestPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
    context = await newContext(browser, p, { javaScript: false });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it("gets the server's errors next to the fields, keeps what was typed, then signs, confirms and is counted", async () => {
    await page.goto("/");
    const listed = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: CAMPAIGN_TITLE }) });
    await listed.getByRole("progressbar").waitFor();
    await listed.getByRole("link", { name: "Read and act" }).click();

    await page.getByRole("heading", { level: 1, name: CAMPAIGN_TITLE }).waitFor();
    expect(await page.getByText(/Every signature adds to the pressure/).isVisible()).toBe(true);
    const actions = page.getByRole("complementary", { name: "Take action" });
    for (const title of Object.values(PETITIONS)) {
      expect(await actions.getByRole("heading", { name: title }).isVisible()).toBe(true);
    }
    const before = await shownCount(actionCard(page, PETITIONS.free));

    await actionCard(page, PETITIONS.free).getByRole("link", { name: PETITIONS.free }).click();
    await page.getByRole("heading", { level: 1, name: PETITIONS.free }).waitFor();

    // A mistyped address and no country: the browser posts the form and the server answers.
    const comment = "Nobody should spend another day in prison for a crime they did not commit.";
    await fillSignForm(page, { name: "Rosa Mamani", email: "rosa.mamani@", postalCode: "04001", comment, updates: true });
    const response = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Sign now" }).click();
    expect((await response).status()).toBe(400);
    await page.getByRole("alert").waitFor();

    const emailField = page.getByLabel("Email address", { exact: true });
    const countryField = page.getByLabel("Country", { exact: true });
    expect(await describedText(emailField)).toContain("Enter a valid email address, like name@example.org.");
    expect(await describedText(countryField)).toContain("Choose a country from the list.");
    expect(await emailField.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByText("Enter a valid email address, like name@example.org.").isVisible()).toBe(true);
    expect(await page.getByLabel("Full name", { exact: true }).inputValue()).toBe("Rosa Mamani");
    expect(await emailField.inputValue()).toBe("rosa.mamani@");
    expect(await page.getByLabel("Postal code (optional)", { exact: true }).inputValue()).toBe("04001");
    expect(await page.getByLabel("Why do you care? (optional)", { exact: true }).inputValue()).toBe(comment);
    expect(await page.getByLabel(/Email me updates/).isChecked()).toBe(true);
    expect(await describedText(page.getByLabel("Full name", { exact: true }))).toBe("");

    const email = "rosa.mamani.nojs@example.org";
    await fillSignForm(page, { email, country: "Peru" });
    await page.getByRole("button", { name: "Sign now" }).click();
    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${ACTION_PATH}/sent`);

    const link = await confirmationLinkFor(p, email);
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "Confirm your signature" }).waitFor();
    expect((await signatureState(p, email))?.status).toBe("pending");

    const confirmed = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    expect((await confirmed).status(), "the confirm button must not lead to an error page").toBeLessThan(400);
    await page.getByRole("heading", { level: 1, name: "Thank you: your signature counts" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${ACTION_PATH}/thanks`);
    expect(await page.getByRole("textbox", { name: "Link to this action" }).inputValue()).toBe(`${p.url}${ACTION_PATH}`);
    expect(await page.getByRole("link", { name: "Bluesky" }).getAttribute("href")).toContain(encodeURIComponent(`${p.url}${ACTION_PATH}`));
    // The copy button needs JavaScript, so it is not offered without it.
    expect(await page.getByRole("button", { name: "Copy link" }).count()).toBe(0);
    expect(await signatureState(p, email)).toMatchObject({ status: "confirmed", updates_opt_in: true });


    await page.goto(`/campaigns/${DEMO.campaign}`);
    expect(await reloadUntilCount(page, PETITIONS.free, before + 1)).toBe(before + 1);
  });
});
