import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { confirmLink, eventually, type TestPlatform } from "./platform";

/**
 * Debian's Chromium headless shell (package chromium-headless-shell), or its full Chromium where the
 * shell is not installed; CHROMIUM_PATH names another. The shell renders with the same Blink and V8
 * and costs less than half the CPU per page (docs/decisions/headless-shell-for-tests.md).
 * playwright-core never downloads a browser of its own.
 */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((file) => existsSync(file)) ?? "/usr/bin/chromium";

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/** The demo campaign's three petitions, as a supporter reads them in English. */
export const PETITIONS = {
  free: "Free every innocent prisoner now",
  pardon: "Give the Pardon Commission what it needs",
  close: "Close the Challapalca and Yanamayo prisons",
} as const;

/** Launches headless Chromium; every launch gets a fresh temporary profile from Playwright. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

const ASSETS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../public/build");
const TYPES: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".map": "application/json" };
let assets: Map<string, Buffer> | undefined;

/**
 * The browser assets as they were when this file's platform loaded its server build. Another test
 * run on the same checkout rebuilds public/build (new hashes, old files removed), which would
 * otherwise break hydration halfway through a walk.
 */
function assetSnapshot(): Map<string, Buffer> {
  if (assets) return assets;
  assets = new Map();
  for (const entry of readdirSync(ASSETS_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    assets.set(`/build/${path.relative(ASSETS_DIR, file).split(path.sep).join("/")}`, readFileSync(file));
  }
  return assets;
}

/** A fresh browser context (no cookies) against the test platform, English unless told otherwise. */
export async function newContext(
  browser: Browser,
  p: TestPlatform,
  { javaScript = true, viewport = DESKTOP as { width: number; height: number }, language = "en" } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: p.url,
    javaScriptEnabled: javaScript,
    viewport,
    locale: language === "es" ? "es-PE" : "en-GB",
    extraHTTPHeaders: { "Accept-Language": language },
  });
  const snapshot = assetSnapshot();
  await context.route(`${p.url}/build/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    const body = snapshot.get(pathname);
    if (!body) return route.continue();
    return route.fulfill({ status: 200, body, contentType: TYPES[path.extname(pathname)] ?? "application/octet-stream" });
  });
  return context;
}

/**
 * Resolves once React has hydrated the page (it has attached its props to the element), so a
 * click is handled by the app rather than by the browser's plain form submission.
 */
export async function hydrated(page: Page, selector = "form"): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return el !== null && Object.keys(el).some((k) => k.startsWith("__reactProps$"));
    },
    selector,
  );
}

/** The text of whatever a field's aria-describedby points at: its error message and hint. */
export async function describedText(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const page = field.page();
  const parts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return parts.join(" ").trim();
}

/** The list item (card) of one call to action on a campaign page. */
export function actionCard(page: Page, title: string): Locator {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title }) });
}

/** The count a progress bar inside `scope` is labelled with ("12 signatures · goal 5,000" → 12). */
export async function shownCount(scope: Locator): Promise<number> {
  const bar = scope.getByRole("progressbar");
  const labelId = await bar.getAttribute("aria-labelledby");
  const label = labelId ? await scope.page().locator(`[id="${labelId}"]`).innerText() : "";
  const digits = /^\s*([\d.,\s]+)/.exec(label)?.[1]?.replace(/\D/g, "");
  if (!digits) throw new Error(`no count in the progress label "${label}"`);
  return Number(digits);
}

/** Reloads the page until the count in the card of `title` is at least `atLeast`. */
export async function reloadUntilCount(page: Page, title: string, atLeast: number, timeoutMs = 10_000): Promise<number> {
  return eventually(
    async () => {
      await page.reload();
      const n = await shownCount(actionCard(page, title));
      return n >= atLeast ? n : false;
    },
    timeoutMs,
    `"${title}" to show ${atLeast}`,
  );
}

/** The confirmation link from the email sent to `email`, read from the capturing SMTP server. */
export async function confirmationLinkFor(p: TestPlatform, email: string): Promise<string> {
  const mail = await eventually(async () => {
    await p.smtp.waitFor(1);
    return p.smtp.to(email)[0];
  }, 20_000, `the confirmation email to ${email}`);
  return confirmLink(mail.text);
}

/** Whether the page is wider than the window, so a reader would have to scroll sideways. */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/** Fills the sign form as a supporter would; leave a value out to leave the field alone. */
export async function fillSignForm(
  page: Page,
  f: { name?: string; email?: string; country?: string; postalCode?: string; comment?: string; updates?: boolean },
): Promise<void> {
  if (f.name !== undefined) await page.getByLabel("Full name", { exact: true }).fill(f.name);
  if (f.email !== undefined) await page.getByLabel("Email address", { exact: true }).fill(f.email);
  if (f.country !== undefined) await page.getByLabel("Country", { exact: true }).selectOption({ label: f.country });
  if (f.postalCode !== undefined) await page.getByLabel("Postal code (optional)", { exact: true }).fill(f.postalCode);
  if (f.comment !== undefined) await page.getByLabel("Why do you care? (optional)", { exact: true }).fill(f.comment);
  if (f.updates !== undefined) await page.getByLabel(/Email me updates/).setChecked(f.updates);
}

/** What the database holds for the signature of `email`: whether it is confirmed, and the consent to updates. */
export async function signatureState(p: TestPlatform, email: string) {
  return p.database.db
    .selectFrom("signatures as s")
    .innerJoin("supporters as u", "u.id", "s.supporter_id")
    .select(["s.status", "s.updates_opt_in"])
    .where("u.email", "=", email.toLowerCase())
    .executeTakeFirst();
}

/**
 * Makes a context behave as a browser without JavaScript while the test can still evaluate code in
 * its pages: every document gets a Content-Security-Policy that refuses all of its scripts.
 * (Chromium's own switch for scripts, `javaScript: false`, also blocks `page.evaluate`.) The DOM is
 * the one a browser without JavaScript builds, as long as the app uses no <noscript>.
 */
export async function refusePageScripts(context: BrowserContext): Promise<void> {
  await context.route("**/*", async (route) => {
    if (route.request().resourceType() !== "document") return route.fallback();
    const response = await route.fetch({ maxRedirects: 0 });
    const headers = response.headers();
    headers["content-security-policy"] = [headers["content-security-policy"], "script-src 'none'"].filter(Boolean).join(", ");
    return route.fulfill({ response, headers });
  });
}
