import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP,
  PETITIONS,
  PHONE,
  confirmationLinkFor,
  fillSignForm,
  hydrated,
  launchBrowser,
  newContext,
  scrollsSideways,
} from "../support/browser";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

const CAMPAIGN_PATH = `/campaigns/${DEMO.campaign}`;
const ACTION_PATH = `${CAMPAIGN_PATH}/${DEMO.action}`;

describe("language switcher and page layout", () => {
  let p: TestPlatform;
  let browser: Browser;

  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  for (const javaScript of [true, false]) {
    it(`switches the whole page to Spanish and back ${javaScript ? "with" : "without"} JavaScript`, async () => {
      const context = await newContext(browser, p, { javaScript });
      try {
        const page = await context.newPage();
        await page.goto(ACTION_PATH);
        if (javaScript) await hydrated(page);
        await page.getByRole("heading", { level: 1, name: PETITIONS.free }).waitFor();

        await page.getByRole("navigation").getByRole("link", { name: "Español" }).click();
        await page.getByRole("heading", { level: 1, name: "Libertad inmediata para todos los presos inocentes" }).waitFor();
        expect(new URL(page.url()).pathname).toBe(ACTION_PATH);
        expect(await page.locator("html").getAttribute("lang")).toBe("es");
        // The form may finish rendering a frame after the heading: wait for each part to show.
        await page.getByRole("heading", { name: "Añade tu nombre" }).waitFor({ state: "visible" });
        await page.getByLabel("Correo electrónico", { exact: true }).waitFor({ state: "visible" });
        await page.getByRole("button", { name: "Firmar ahora" }).waitFor({ state: "visible" });
        await page.getByRole("link", { name: "Privacidad" }).waitFor({ state: "visible" });
        expect(await page.getByText("Free every innocent prisoner now").count()).toBe(0);

        // The choice sticks while the supporter moves around the site.
        await page.getByRole("navigation").getByRole("link", { name: "Campañas" }).click();
        await page.getByRole("heading", { level: 2, name: "Campañas activas" }).waitFor();
        await page.getByRole("link", { name: "Libertad para los presos inocentes del Perú" }).click();
        await page.getByRole("heading", { level: 2, name: "Actúa" }).waitFor();

        await page.getByRole("navigation").getByRole("link", { name: "English" }).click();
        await page.getByRole("heading", { level: 1, name: "Free Peru's innocent prisoners" }).waitFor();
        expect(new URL(page.url()).pathname).toBe(CAMPAIGN_PATH);
        expect(await page.locator("html").getAttribute("lang")).toBe("en");
        await page.getByRole("heading", { level: 2, name: "Take action" }).waitFor({ state: "visible" });
      } finally {
        await context.close();
      }
    });
  }

  for (const [device, viewport] of [["a phone", PHONE], ["a desktop", DESKTOP]] as const) {
    it(`fits every page of the supporter path on ${device} without sideways scrolling`, async () => {
      const context = await newContext(browser, p, { viewport });
      try {
        const page = await context.newPage();
        const wide: string[] = [];
        const check = async (what: string) => {
          if (await scrollsSideways(page)) wide.push(what);
        };

        await page.goto("/");
        await check("home");
        await page.goto(CAMPAIGN_PATH);
        await check("campaign");
        await page.goto(ACTION_PATH);
        await check("action");

        await hydrated(page);
        await page.getByRole("button", { name: "Sign now" }).click();
        await page.locator(".field-error").getByText("Choose a country from the list.").waitFor();
        await check("action with errors");

        const email = `layout-${viewport.width}@example.org`;
        await fillSignForm(page, { name: "María Condori", email, country: "Peru", comment: "Por la justicia." });
        await page.getByRole("button", { name: "Sign now" }).click();
        await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
        await check("check your email");

        await page.goto(await confirmationLinkFor(p, email));
        await check("confirm");
        await hydrated(page);
        await page.getByRole("button", { name: "Confirm my signature" }).click();
        await page.getByRole("heading", { level: 1, name: "Thank you: your signature counts" }).waitFor();
        await check("thank you");

        await page.goto("/privacy");
        await check("privacy");
        await page.goto("/no-such-page");
        await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
        await check("not found");

        expect(wide).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
