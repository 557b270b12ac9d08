import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { hydrated, launchBrowser, newContext, refusePageScripts } from "../support/browser";
import { createCampaigner, signIn } from "../support/campaigner";
import { LETTER_ACTION } from "../support/letters";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

const PETITION_PATH = `/campaigns/${DEMO.campaign}/${DEMO.action}`;
const LETTER_PATH = `/campaigns/${DEMO.campaign}/${LETTER_ACTION}`;

let p: TestPlatform;
let browser: Browser;
let campaignId: number;
let cookie: string;

beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  browser = await launchBrowser();
  const db = p.database.db;
  campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  const owner = await createCampaigner(db, { campaignIds: [campaignId], tag: "keyboard" });
  cookie = (await signIn(p.url, owner)).cookie;
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

async function open(javaScript: boolean, signedIn = false): Promise<Page> {
  const context = await newContext(browser, p);
  if (!javaScript) await refusePageScripts(context);
  if (signedIn) {
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name: name!, value: value.join("="), url: p.url }]);
  }
  return context.newPage();
}

/** What has focus: its id, tag, and the id of the error summary it is in, if any. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { id: el?.id ?? "", tag: el?.tagName.toLowerCase() ?? "", inSummary: Boolean(el?.closest(".error-summary")), isSummary: Boolean(el?.classList.contains("error-summary")) };
  });
}

/** The fields the error summary links to, in order; each link must point at an invalid field. */
async function summaryTargets(page: Page): Promise<string[]> {
  const summary = page.locator(".error-summary");
  await summary.waitFor();
  const ids = await summary.locator("a").evaluateAll((links) => links.map((a) => (a.getAttribute("href") ?? "").replace(/^#/, "")));
  for (const id of ids) {
    const invalid = await page.locator(`[id="${id}"]`).getAttribute("aria-invalid");
    expect(invalid, `the summary links to #${id}, which should be marked invalid`).toBe("true");
  }
  return ids;
}

/** Sends a form with the keyboard: focus its submit button and press Enter. */
async function submitWithKeyboard(page: Page, button: string) {
  await page.locator(`form:has(button[type="submit"]) button[type="submit"]:text-is("${button}")`).focus();
  await page.keyboard.press("Enter");
}

/** The contrast ratio of two CSS colours, by the WCAG formula. */
function contrast(a: number[], b: number[]): number {
  const lum = ([r, g, bl]: number[]) => {
    const c = [r!, g!, bl!].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Tabs through the first `count` stops of the page, measuring each one's focus ring against the colour around it. */
async function focusRings(page: Page, count: number) {
  const rings: { what: string; width: number; style: string; ring: number[]; around: number[] }[] = [];
  await page.locator("body").focus();
  for (let i = 0; i < count; i++) {
    await page.keyboard.press("Tab");
    rings.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? ["0", "0", "0", "0"]).map(Number);
        // The ring is drawn outside the element (outline-offset ≥ 0), so what it must stand out from
        // is the first opaque background behind the element.
        let around = [255, 255, 255];
        for (let node: HTMLElement | null = el.parentElement; node; node = node.parentElement) {
          const bg = rgb(getComputedStyle(node).backgroundColor);
          if (bg.length < 4 || bg[3]! > 0) {
            around = bg.slice(0, 3);
            break;
          }
        }
        return {
          what: `${el.tagName.toLowerCase()} "${(el.textContent ?? el.getAttribute("aria-label") ?? "").trim().slice(0, 30)}"`,
          width: parseFloat(style.outlineWidth),
          style: style.outlineStyle,
          ring: rgb(style.outlineColor).slice(0, 3),
          around,
        };
      }),
    );
  }
  return rings.map((r) => ({ ...r, ratio: contrast(r.ring, r.around) }));
}

describe("keyboard: errors, focus after navigation, and a visible focus ring", () => {
  for (const javaScript of [true, false]) {
    const mode = javaScript ? "with JavaScript" : "without JavaScript";

    it(`sign form ${mode}: a failed submit puts focus on the error summary or the first wrong field, and the summary links to each`, async () => {
      const page = await open(javaScript);
      try {
        await page.goto(PETITION_PATH);
        if (javaScript) await hydrated(page);
        await page.getByLabel("Email address", { exact: true }).fill("not-an-address");
        await submitWithKeyboard(page, "Sign now");
        const ids = await summaryTargets(page);
        const nameId = await page.getByLabel("Full name", { exact: true }).getAttribute("id");
        const emailId = await page.getByLabel("Email address", { exact: true }).getAttribute("id");
        expect(ids.slice(0, 2)).toEqual([nameId, emailId]);
        const now = await focused(page);
        expect(now.isSummary || now.id === nameId, JSON.stringify(now)).toBe(true);
        if (!javaScript) expect(await page.title()).toMatch(/^Error: /);
        // Following a link in the summary lands on its field.
        await page.locator(".error-summary a").nth(1).click();
        if (javaScript) expect((await focused(page)).id).toBe(emailId);
        else expect(new URL(page.url()).hash).toBe(`#${emailId}`);
      } finally {
        await page.context().close();
      }
    });

    it(`letter form ${mode}: a failed submit puts focus on the error summary or the first wrong field`, async () => {
      const page = await open(javaScript);
      try {
        await page.goto(LETTER_PATH);
        if (javaScript) await hydrated(page);
        await submitWithKeyboard(page, en.letterPage.review);
        const ids = await summaryTargets(page);
        expect(ids.length).toBeGreaterThanOrEqual(3);
        const now = await focused(page);
        expect(now.isSummary || now.id === ids[0], JSON.stringify(now)).toBe(true);
        if (!javaScript) expect(await page.title()).toMatch(/^Error: /);
      } finally {
        await page.context().close();
      }
    });

    it(`workspace form ${mode}: a failed submit puts focus on the error summary or the first wrong field`, async () => {
      const page = await open(javaScript, true);
      try {
        await page.goto(`/admin/campaigns/${campaignId}/updates/new`);
        if (javaScript) await hydrated(page, "form[method=post]");
        await submitWithKeyboard(page, "Save the draft");
        const ids = await summaryTargets(page);
        expect(ids.length).toBeGreaterThanOrEqual(1);
        const now = await focused(page);
        expect(now.isSummary || now.id === ids[0], JSON.stringify(now)).toBe(true);
        if (!javaScript) expect(await page.title()).toMatch(/^Error: /);
      } finally {
        await page.context().close();
      }
    });

    it(`an error page ${mode} says so in its title`, async () => {
      const page = await open(javaScript);
      try {
        const res = await page.goto(`/campaigns/${DEMO.campaign}/no-such-action`);
        expect(res?.status()).toBe(404);
        expect(await page.title()).toBe("Error: Page not found — Inkwell");
        expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Page not found");
      } finally {
        await page.context().close();
      }
    });
  }

  it("client-side navigation moves focus to the new page's heading and announces the page", async () => {
    const page = await open(true);
    try {
      await page.goto(`/campaigns/${DEMO.campaign}`);
      await hydrated(page, "main");
      const link = page.locator(`main a[href="${PETITION_PATH}"]`).first();
      await link.focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(`**${PETITION_PATH}`);
      await page.waitForFunction(() => document.activeElement?.tagName === "H1");
      const heading = await page.evaluate(() => document.activeElement?.textContent ?? "");
      expect(heading).toBe(await page.locator("main h1").innerText());
      const announced = page.locator("[data-route-announcer]");
      expect(await announced.getAttribute("aria-live")).toBe("polite");
      await page.waitForFunction(() => (document.querySelector("[data-route-announcer]")?.textContent ?? "") === document.title);
      expect(await announced.innerText()).toBe(await page.title());
      // The next Tab continues from the heading, not from the top of the page.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
    } finally {
      await page.context().close();
    }
  });

  it("every focus stop on the sign page and in the workspace has a ring of at least 3:1 against its surroundings", async () => {
    const problems: string[] = [];
    for (const [path, signedIn, stops] of [[PETITION_PATH, false, 25], [`/admin/campaigns/${campaignId}/updates/new`, true, 25]] as const) {
      const page = await open(true, signedIn);
      try {
        await page.goto(path);
        await hydrated(page, "main");
        // Past the last stop the focus leaves the page (the body is active): that is no stop to measure.
        for (const r of (await focusRings(page, stops)).filter((x) => !x.what.startsWith("body "))) {
          if (r.style === "none" || r.width < 2 || r.ratio < 3) problems.push(`${path} ${r.what}: ${r.style} ${r.width} px, ${r.ratio.toFixed(2)}:1 (ring ${r.ring} on ${r.around})`);
        }
      } finally {
        await page.context().close();
      }
    }
    expect(problems).toEqual([]);
  });
});
