import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmationLinkFor, launchBrowser, newContext } from "../support/browser";
import { createCampaigner, type Account } from "../support/campaigner";
import { parseCsv } from "../support/csv";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";

const CAMPAIGN = { slug: "letters-for-challapalca", title: "Close Challapalca prison", summary: "A prison 4,600 metres up, where the cold itself is a punishment." };
const ACTION = { slug: "write-to-the-warden", title: "Write to the prisons chief", subject: "Close Challapalca now" };
const OFFICIAL = { name: "Rocío Quispe", title: "Head of the Prison Service", organisation: "Instituto Nacional Penitenciario", email: "jefa.inpe@inpe-pe.example" };
const SUPPORTER = { name: "Ana Flores Walker", email: "ana.flores.walker@example.org" };

describe("a campaigner launches a letter campaign and follows it through to the official", () => {
  let p: TestPlatform;
  let browser: Browser;
  let campaigner: BrowserContext;
  let page: Page;
  let account: Account;
  let base: string;

  beforeAll(async () => {
    p = await startTestPlatform();
    account = await createCampaigner(p.database.db, { tag: "walker" });
    browser = await launchBrowser();
    campaigner = await newContext(browser, p);
    page = await campaigner.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it("signs in through the form, creates a campaign, adds an official and a letter action, and launches it", async () => {
    await page.goto("/admin");
    expect(new URL(page.url()).pathname).toBe("/admin/sign-in");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Campaigns" }).waitFor();

    await page.getByRole("link", { name: "New campaign" }).click();
    await page.locator('[name="slug"]').fill(CAMPAIGN.slug);
    await page.locator('[name="goal"]').fill("500");
    await page.locator('[name="title_en"]').fill(CAMPAIGN.title);
    await page.locator('[name="summary_en"]').fill(CAMPAIGN.summary);
    await page.locator('[name="story_en"]').fill("Prisoners held there under the 1992 law are innocent. Ask for it to close.");
    await page.getByRole("button", { name: "Create the draft" }).click();
    await page.waitForURL(/\/admin\/campaigns\/\d+\/actions$/);
    base = new URL(page.url()).pathname.replace(/\/actions$/, "");

    await page.goto("/admin/officials/new");
    await page.getByLabel("Name", { exact: true }).fill(OFFICIAL.name);
    await page.getByLabel("Title", { exact: true }).fill(OFFICIAL.title);
    await page.getByLabel("Organisation", { exact: true }).fill(OFFICIAL.organisation);
    await page.getByLabel("Country code").fill("PE");
    await page.getByLabel("Email (letters are delivered here)").fill(OFFICIAL.email);
    await page.getByLabel("Postal address").fill("Jr. Carabaya 456, Lima");
    await page.getByLabel("Language letters reach them in").fill("es");
    await page.getByLabel("Time zone").fill("America/Lima");
    await page.getByRole("button", { name: "Add" }).click();
    await page.waitForURL(/\/admin\/officials\/\d+$/);

    await page.goto(`${base}/actions/new`);
    await page.getByLabel("Kind").selectOption("letter");
    await page.getByLabel("Address").fill(ACTION.slug);
    await page.getByLabel("Goal").fill("300");
    await page.getByRole("checkbox", { name: `${OFFICIAL.name}, ${OFFICIAL.title}` }).check();
    await page.getByLabel("Deliver to the officials").selectOption("manual");
    await page.locator('[name="title_en"]').fill(ACTION.title);
    await page.locator('[name="ask_en"]').fill("Ask the head of the prison service to close Challapalca.");
    await page.locator('[name="subject_en"]').fill(ACTION.subject);
    await page.locator('[name="body_en"]').fill("Dear {{target.title}},\n\nI write from {{supporter.country}} to ask you to close Challapalca.\n\n{{supporter.name}}");
    await page.getByRole("button", { name: "Add" }).click();
    await page.waitForURL(new RegExp(`${base}/actions$`));
    await page.getByText(ACTION.title).first().waitFor();

    await page.goto(`${base}/edit`);
    await page.getByRole("button", { name: "Launch" }).click();
    await page.locator(".badge.live").first().waitFor();
  });

  it("a supporter writes the letter on the public page and confirms it from the email", async () => {
    const supporter = await newContext(browser, p);
    const public_ = await supporter.newPage();
    await public_.goto(`/campaigns/${CAMPAIGN.slug}/${ACTION.slug}`);
    await public_.getByLabel("Full name", { exact: true }).fill(SUPPORTER.name);
    await public_.getByLabel("Email address", { exact: true }).fill(SUPPORTER.email);
    await public_.getByLabel("Country", { exact: true }).selectOption({ label: "Peru" });
    await public_.getByRole("button", { name: "Review my letter" }).click();
    await public_.getByRole("button", { name: "Send my letter" }).click();
    await public_.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    await public_.goto(await confirmationLinkFor(p, SUPPORTER.email));
    await public_.getByRole("button", { name: "Confirm my letter" }).click();
    await public_.getByRole("heading", { level: 1 }).filter({ hasText: /Thank you/ }).waitFor();
    await supporter.close();
  });

  it("the campaigner finds the letter among the supporters, and the dashboard counts it", async () => {
    await page.goto(`${base}/supporters`);
    await page.getByLabel("Name starts with, or exact email").fill(SUPPORTER.email);
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await page.getByRole("link", { name: SUPPORTER.name }).waitFor();
    expect(await page.getByRole("cell", { name: SUPPORTER.email }).count()).toBe(1);

    await eventually(async () => {
      await page.goto(base);
      return (await page.getByTestId("confirmed-total").innerText()) === "1";
    }, 15_000, "the dashboard to count the letter");
    await page.locator(".recharts-surface").first().waitFor();
    await page.getByRole("img", { name: /^Signatures per day/ }).waitFor();
  });

  it("delivers now: the official receives the batch and the log shows it sent", async () => {
    await page.goto(`${base}/deliveries`);
    await page.getByRole("button", { name: "Deliver now" }).click();
    await page.getByText("1 batch(es) on their way.").waitFor();
    const mail = await eventually(async () => p.smtp.to(OFFICIAL.email)[0], 20_000, "the batch email to the official");
    expect(mail.text).toContain(SUPPORTER.name);
    expect(mail.raw).not.toContain(SUPPORTER.email);
    await eventually(async () => {
      await page.reload();
      return (await page.locator(".badge.sent").count()) === 1;
    }, 15_000, "the log to show the batch sent");
    expect(await page.getByRole("link", { name: "PDF" }).count()).toBe(1);
  });

  it("downloads the export with the supporter's row", async () => {
    await page.goto(`${base}/supporters`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download these as CSV" }).click();
    const file = await (await download).path();
    const rows = parseCsv((await readFile(file, "utf8")).replace(/^\uFEFF/, ""));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(expect.arrayContaining([ACTION.slug, "confirmed", SUPPORTER.name, SUPPORTER.email, "PE"]));
  });

  it("works with JavaScript off: filters, the dashboard's numbers, and deliver now", async () => {
    const noJs = await newContext(browser, p, { javaScript: false });
    await noJs.addCookies(await campaigner.cookies());
    const plain = await noJs.newPage();
    await plain.goto(`${base}/supporters`);
    await plain.getByLabel("Status", { exact: true }).selectOption("invalidated");
    await plain.getByRole("button", { name: "Filter", exact: true }).click();
    await plain.getByText("No signatures match.").waitFor();
    expect(new URL(plain.url()).searchParams.get("status")).toBe("invalidated");

    await plain.goto(base);
    expect(await plain.getByTestId("confirmed-total").innerText()).toBe("1");
    const byCountry = plain.locator("figure", { hasText: "Confirmed by country" });
    expect(await byCountry.getByRole("cell", { name: "PE" }).isVisible()).toBe(false);
    await byCountry.getByText("Data table").click();
    expect(await byCountry.getByRole("cell", { name: "PE" }).isVisible()).toBe(true);

    await plain.goto(`${base}/deliveries`);
    await plain.getByRole("button", { name: "Deliver now" }).click();
    await plain.getByText("Nothing new to deliver.").waitFor();
    await noJs.close();
  });

  it("invalidates the letter with a reason, and the dashboard's count follows", async () => {
    await page.goto(`${base}/supporters`);
    await page.getByRole("checkbox", { name: `Select ${SUPPORTER.name}` }).check();
    await page.getByRole("button", { name: "Invalidate selected…" }).click();
    await page.getByRole("heading", { name: "Invalidate 1 signature?" }).waitFor();
    const reason = page.getByLabel(/^Reason/);
    await page.getByRole("button", { name: "Invalidate 1" }).click(); // the browser asks for the reason first
    expect(await reason.evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    await reason.fill("Written by the campaign team as a test");
    await page.getByRole("button", { name: "Invalidate 1" }).click();
    await page.getByText("1 signatures invalidated. The counts follow.").waitFor();
    await page.goto(base);
    expect(await page.getByTestId("confirmed-total").innerText()).toBe("0");
  });
});
