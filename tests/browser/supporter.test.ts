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

interface Walk {
  p: TestPlatform;
  page: Page;
}

/** What differs between a browser that runs the page's JavaScript and one that only posts forms. */
interface Mode {
  label: string;
  javaScript: boolean;
  walk: string;
  campaignLink: string;
  campaignText: RegExp;
  /** Checks every call to action's card on the campaign page. */
  cards: (page: Page) => Promise<void>;
  actionLink: (page: Page) => Promise<void>;
  /** Once the call to action's page is open. */
  opened: (page: Page) => Promise<void>;
  /** Fills and sends the sign form; returns the address that signed. */
  sign: (w: Walk) => Promise<string>;
  confirm: (page: Page) => Promise<void>;
  share: (w: Walk) => Promise<void>;
  optedIn: boolean;
  backToCampaign: (page: Page) => Promise<void>;
  more: [name: string, run: (w: Walk) => Promise<void>][];
}

const headings = async (page: Page) => {
  const actions = page.getByRole("complementary", { name: "Take action" });
  for (const title of Object.values(PETITIONS)) expect(await actions.getByRole("heading", { name: title }).isVisible()).toBe(true);
};

const withJavaScript: Mode = {
  label: "with JavaScript",
  javaScript: true,
  walk: "finds the campaign, signs, confirms from the email and sees the count move",
  campaignLink: CAMPAIGN_TITLE,
  campaignText: /In 1992 Peru adopted sweeping/,
  cards: async (page) => {
    const actions = page.getByRole("complementary", { name: "Take action" });
    for (const title of Object.values(PETITIONS)) {
      const card = actionCard(page, title);
      expect(await actions.getByRole("heading", { name: title }).isVisible()).toBe(true);
      expect(await shownCount(card)).toBeGreaterThanOrEqual(0);
    }
  },
  actionLink: (page) => actionCard(page, PETITIONS.free).getByRole("link", { name: "Sign", exact: true }).click(),
  opened: async (page) => {
    expect(new URL(page.url()).pathname).toBe(ACTION_PATH);
    await hydrated(page);
  },
  sign: async ({ page }) => {
    const email = "ana.quispe.js@example.org";
    await fillSignForm(page, { name: "Ana Quispe", email, country: "Peru", postalCode: "15001", comment: "No one should be jailed for a crime they did not commit." });
    expect(await page.getByLabel(/Email me updates/).isChecked()).toBe(false);
    await page.getByRole("button", { name: "Sign now" }).click();
    return email;
  },
  confirm: async (page) => {
    await hydrated(page);
    await page.getByRole("button", { name: "Confirm my signature" }).click();
  },
  share: async ({ p, page }) => {
    const whatsapp = await page.getByRole("link", { name: "WhatsApp" }).getAttribute("href");
    expect(whatsapp).toContain(encodeURIComponent(`${p.url}${ACTION_PATH}`));
    for (const name of ["Email", "X", "Facebook", "Bluesky"]) {
      expect(await page.getByRole("link", { name, exact: true }).isVisible()).toBe(true);
    }
    expect(await page.getByRole("button", { name: "Copy link" }).isVisible()).toBe(true);
  },
  optedIn: false,
  backToCampaign: async (page) => {
    await page.getByRole("link", { name: "See the campaign" }).click();
    await page.getByRole("heading", { level: 1, name: CAMPAIGN_TITLE }).waitFor();
  },
  more: [
    [
      "shows a bad email address next to the field without reloading the page",
      async ({ p, page }) => {
        await page.goto(ACTION_PATH);
        await hydrated(page);
        await fillSignForm(page, { name: "Luis Huamán", email: "luis.huaman@", country: "Peru" });
        await page.evaluate(() => Object.assign(window, { stillThisPage: true }));

        await page.getByRole("button", { name: "Sign now" }).click();

        const emailField = page.getByLabel("Email address", { exact: true });
        await page.locator(".field-error").getByText("Enter a valid email address, like name@example.org.").waitFor();
        expect(await emailField.getAttribute("aria-invalid")).toBe("true");
        expect(await describedText(emailField)).toContain("Enter a valid email address");
        expect(await page.evaluate(() => (window as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
        expect(new URL(page.url()).pathname).toBe(ACTION_PATH);
        expect(await emailField.inputValue()).toBe("luis.huaman@");
        expect(await page.getByLabel("Full name", { exact: true }).inputValue()).toBe("Luis Huamán");

        // Correcting the address clears the message as the supporter types.
        await emailField.fill("luis.huaman@example.org");
        await page.locator(".field-error").getByText("Enter a valid email address, like name@example.org.").waitFor({ state: "hidden" });
        expect(await emailField.getAttribute("aria-invalid")).toBeNull();
        expect(await signatureState(p, "luis.huaman@example.org")).toBeUndefined();
      },
    ],
  ],
};

const withoutJavaScript: Mode = {
  label: "without JavaScript",
  javaScript: false,
  walk: "gets the server's errors next to the fields, keeps what was typed, then signs, confirms and is counted",
  campaignLink: "Read and act",
  campaignText: /Every signature adds to the pressure/,
  cards: headings,
  actionLink: (page) => actionCard(page, PETITIONS.free).getByRole("link", { name: PETITIONS.free }).click(),
  opened: async () => {},
  sign: async ({ page }) => {
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
    expect(await page.locator(".field-error").getByText("Enter a valid email address, like name@example.org.").isVisible()).toBe(true);
    expect(await page.getByLabel("Full name", { exact: true }).inputValue()).toBe("Rosa Mamani");
    expect(await emailField.inputValue()).toBe("rosa.mamani@");
    expect(await page.getByLabel("Postal code (optional)", { exact: true }).inputValue()).toBe("04001");
    expect(await page.getByLabel("Why do you care? (optional)", { exact: true }).inputValue()).toBe(comment);
    expect(await page.getByLabel(/Email me updates/).isChecked()).toBe(true);
    expect(await describedText(page.getByLabel("Full name", { exact: true }))).toBe("");

    const email = "rosa.mamani.nojs@example.org";
    await fillSignForm(page, { email, country: "Peru" });
    await page.getByRole("button", { name: "Sign now" }).click();
    return email;
  },
  confirm: async (page) => {
    const confirmed = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    expect((await confirmed).status(), "the confirm button must not lead to an error page").toBeLessThan(400);
  },
  share: async ({ p, page }) => {
    expect(await page.getByRole("textbox", { name: "Link to this action" }).inputValue()).toBe(`${p.url}${ACTION_PATH}?source=share-link`);
    expect(await page.getByRole("link", { name: "Bluesky" }).getAttribute("href")).toContain(encodeURIComponent(`${p.url}${ACTION_PATH}`));
    // The copy button needs JavaScript, so it is not offered without it.
    expect(await page.getByRole("button", { name: "Copy link" }).count()).toBe(0);
  },
  optedIn: true,
  backToCampaign: async (page) => {
    await page.goto(`/campaigns/${DEMO.campaign}`);
  },
  more: [],
};

describe.each([withJavaScript, withoutJavaScript])("a supporter signs in a browser $label", (mode) => {
  let browser: Browser;
  let context: BrowserContext;
  const w = {} as Walk;

  beforeAll(async () => {
    w.p = await startTestPlatform();
    browser = await launchBrowser();
    context = await newContext(browser, w.p, { javaScript: mode.javaScript });
    w.page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await w.p?.stop();
  });

  it(mode.walk, async () => {
    const { p, page } = w;
    await page.goto("/");
    const listed = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: CAMPAIGN_TITLE }) });
    await listed.getByRole("progressbar").waitFor();
    await listed.getByRole("link", { name: mode.campaignLink }).click();

    await page.getByRole("heading", { level: 1, name: CAMPAIGN_TITLE }).waitFor();
    expect(await page.getByText(mode.campaignText).isVisible()).toBe(true);
    await mode.cards(page);
    const before = await shownCount(actionCard(page, PETITIONS.free));

    await mode.actionLink(page);
    await page.getByRole("heading", { level: 1, name: PETITIONS.free }).waitFor();
    await mode.opened(page);

    const email = await mode.sign(w);
    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${ACTION_PATH}/sent`);

    const link = await confirmationLinkFor(p, email);
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: "Confirm your signature" }).waitFor();
    // Opening the link (as a mail scanner would) changes nothing; the button does.
    expect((await signatureState(p, email))?.status).toBe("pending");

    await mode.confirm(page);
    await page.getByRole("heading", { level: 1, name: "Thank you: your signature counts" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`${ACTION_PATH}/thanks`);
    await mode.share(w);
    expect(await signatureState(p, email)).toMatchObject({ status: "confirmed", updates_opt_in: mode.optedIn });

    await mode.backToCampaign(page);
    expect(await reloadUntilCount(page, PETITIONS.free, before + 1)).toBe(before + 1);
  });

  for (const [name, run] of mode.more) it(name, () => run(w));
});
