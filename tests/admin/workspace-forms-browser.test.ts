import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hydrated, launchBrowser, newContext } from "../support/browser";
import { createCampaigner, signIn } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

// A campaigner types as soon as a form shows and clicks as soon as they finish typing: neither
// the page becoming interactive nor an error message going away may cost them a character or a click.
const TRIES = 4;

let p: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let campaignId: number;

beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  browser = await launchBrowser();
  const db = p.database.db;
  campaignId = (await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow()).id;
  const owner = await createCampaigner(db, { campaignIds: [campaignId], tag: "forms" });
  const { cookie } = await signIn(p.url, owner);
  context = await newContext(browser, p);
  const [name, ...value] = cookie.split("=");
  await context.addCookies([{ name: name!, value: value.join("="), url: p.url }]);
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

const updatesPath = () => `/admin/campaigns/${campaignId}/updates`;
const subjectField = (page: Page) => page.getByLabel("Subject").first();
const bodyField = (page: Page) => page.getByLabel("Message (Markdown)").first();

/** Records what React reports while hydrating: a mismatch makes it throw the server's HTML away. */
function hydrationErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /hydrat|did not match|server-rendered/i.test(m.text())) seen.push(m.text().slice(0, 200));
  });
  page.on("pageerror", (e) => {
    if (/hydrat|did not match|server-rendered/i.test(e.message)) seen.push(e.message.slice(0, 200));
  });
  return seen;
}

/** Saves the draft and returns the subject the saved update shows. */
async function saveAndReadSubject(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Save the draft" }).click();
  await page.waitForURL(/\/updates\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split("/").pop());
  const row = await p.database.db.selectFrom("update_translations").select("subject").where("update_id", "=", id).where("language", "=", "en").executeTakeFirstOrThrow();
  return row.subject;
}

describe("workspace forms keep every character and every click", () => {
  it(`text typed while a freshly loaded form becomes interactive survives (${TRIES} tries)`, async () => {
    for (let i = 0; i < TRIES; i++) {
      const page = await context.newPage();
      const errors = hydrationErrors(page);
      try {
        const subject = `Load ${i}: news from Lima`;
        // No waiting for the page to settle: type the moment the field exists.
        await page.goto(`${updatesPath()}/new`, { waitUntil: "commit" });
        await subjectField(page).pressSequentially(subject);
        await hydrated(page, "form[method=post]");
        await bodyField(page).pressSequentially("Two prisoners were freed.");
        expect(await subjectField(page).inputValue()).toBe(subject);
        expect(await saveAndReadSubject(page)).toBe(subject);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it(`text typed right after a client-side navigation to the form survives (${TRIES} tries)`, async () => {
    for (let i = 0; i < TRIES; i++) {
      const page = await context.newPage();
      try {
        const subject = `Navigation ${i}: a hearing is set`;
        await page.goto(updatesPath());
        await hydrated(page, "main");
        await page.getByRole("link", { name: "New update" }).click();
        await subjectField(page).pressSequentially(subject);
        await bodyField(page).pressSequentially("The court sits on Monday.");
        expect(await subjectField(page).inputValue()).toBe(subject);
        expect(await saveAndReadSubject(page)).toBe(subject);
      } finally {
        await page.close();
      }
    }
  });

  it(`a click on the button right after correcting the fields is never lost (${TRIES} tries)`, async () => {
    for (let i = 0; i < TRIES; i++) {
      const page = await context.newPage();
      try {
        await page.goto(`${updatesPath()}/new`);
        await hydrated(page, "form[method=post]");
        // Leaving a field empty must not make the layout jump on the way to the button.
        await subjectField(page).focus();
        await page.keyboard.press("Tab");
        await page.keyboard.press("Tab");
        // A submit with nothing filled shows the errors; the campaigner then fixes both fields.
        await page.getByRole("button", { name: "Save the draft" }).click();
        await page.locator(".error-summary").waitFor();
        const subject = `Click ${i}: the commission meets`;
        await subjectField(page).fill("");
        await subjectField(page).pressSequentially(subject);
        await bodyField(page).pressSequentially("It meets on Friday.");
        // Where the button is while the cursor is still in the message field, as the campaigner sees it…
        const button = page.getByRole("button", { name: "Save the draft" });
        await button.scrollIntoViewIfNeeded();
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
        const box = (await button.boundingBox())!;
        // …is where the click lands, blur and all.
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        await page.waitForURL(/\/updates\/\d+$/, { timeout: 15_000 });
        const id = Number(new URL(page.url()).pathname.split("/").pop());
        const row = await p.database.db.selectFrom("update_translations").select("subject").where("update_id", "=", id).executeTakeFirstOrThrow();
        expect(row.subject).toBe(subject);
      } finally {
        await page.close();
      }
    }
  });
});
