import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hydrated, launchBrowser, newContext } from "../support/browser";
import { createCampaigner, type Account } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

let p: TestPlatform;
let browser: Browser;
let account: Account;
let editPath: string;
let official: string;
beforeAll(async () => {
  p = await startTestPlatform({ worker: false });
  browser = await launchBrowser();
  const db = p.database.db;
  const campaign = await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
  const letter = await db.selectFrom("actions").select("id").where("campaign_id", "=", campaign.id).where("kind", "=", "letter").orderBy("id").executeTakeFirstOrThrow();
  const target = await db
    .selectFrom("action_targets as at")
    .innerJoin("targets as t", "t.id", "at.target_id")
    .select("t.name")
    .where("at.action_id", "=", letter.id)
    .orderBy("at.position")
    .executeTakeFirstOrThrow();
  official = target.name;
  editPath = `/admin/campaigns/${campaign.id}/actions/${letter.id}`;
  account = await createCampaigner(db, { campaignIds: [campaign.id] });
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

async function signedInPage(javaScript: boolean): Promise<{ page: Page; errors: string[] }> {
  const context = await newContext(browser, p, { javaScript });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(`/admin/sign-in?next=${encodeURIComponent(editPath)}`);
  if (javaScript) await hydrated(page);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**${editPath}`);
  return { page, errors };
}

describe("previewing a letter in the workspace", () => {
  it("shows the letter for the chosen official inline, with JavaScript", async () => {
    const { page, errors } = await signedInPage(true);
    await hydrated(page, "form[action$='letter-preview']");
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.locator(".preview-frame");
    await preview.waitFor();
    expect(await preview.innerText()).toContain(`To ${official}`);
    expect(page.url()).toContain(editPath);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("opens the letter as a page, without JavaScript", async () => {
    const { page } = await signedInPage(false);
    await page.getByRole("button", { name: "Preview" }).click();
    await page.waitForURL(/letter-preview\?targetId=\d+&language=/);
    const text = await page.locator("body").innerText();
    expect(text).toContain(`Preview for ${official}`);
    expect(text).not.toContain("{{");
    await page.context().close();
  });
});
