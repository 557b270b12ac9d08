import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, hydrated, launchBrowser, newContext, scrollsSideways } from "../support/browser";
import { LETTER_ACTION, letterAction, postLetter } from "../support/letters";
import { DEMO, confirmLink, eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";

const LETTER_PATH = `/campaigns/${DEMO.campaign}/${LETTER_ACTION}`;
const OTHER_ACTIONS = {
  "free-the-innocent": "Free every innocent prisoner now",
  "resource-the-pardon-commission": "Give the Pardon Commission what it needs",
  "close-challapalca-and-yanamayo": "Close the Challapalca and Yanamayo prisons",
} as const;
const NARROW = { width: 320, height: 720 };

describe("the letter page: side by side, its review step, and what comes after", () => {
  let p: TestPlatform;
  let browser: Browser;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  let serial = 0;
  const address = (what: string) => `review-${what}-${(serial += 1)}-${process.pid}@example.org`;
  const recorded = async (email: string) =>
    (await p.database.db.selectFrom("supporters as s").innerJoin("signatures as g", "g.supporter_id", "s.id").select("g.id").where("s.email", "=", email).execute()).length;

  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
    ids = await letterAction(p);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it("shows the Spanish letter beside its English reading at 1280 px, one under the other at 320 px, never scrolling sideways", async () => {
    for (const [viewport, javaScript] of [[DESKTOP, true], [NARROW, true], [NARROW, false]] as const) {
      const context = await newContext(browser, p, { javaScript, viewport });
      try {
        const page = await context.newPage();
        await page.goto(LETTER_PATH);
        if (javaScript) await hydrated(page);
        const [original, reading] = [page.locator(".letter-column").nth(0), page.locator(".letter-column").nth(1)];
        expect(await original.locator(".letter-sheet").getAttribute("lang")).toBe("es");
        expect(await original.locator(".letter-sheet").getAttribute("dir")).toBe("ltr");
        expect(await reading.locator(".letter-sheet").getAttribute("lang")).toBe("en");
        expect(await reading.innerText()).toContain("Dear Ministro de Justicia,");
        const [a, b] = [(await original.boundingBox())!, (await reading.boundingBox())!];
        if (viewport.width === DESKTOP.width) {
          expect(Math.abs(a.y - b.y)).toBeLessThan(2);
          expect(b.x).toBeGreaterThan(a.x + a.width - 1);
        } else {
          expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
        }
        expect(await scrollsSideways(page), `${viewport.width} px`).toBe(false);

        await page.getByLabel("Full name", { exact: true }).fill("Ana Narrow");
        await page.getByLabel("Email address", { exact: true }).fill(address("layout"));
        await page.getByLabel("Country", { exact: true }).selectOption("PE");
        if (javaScript && viewport.width === DESKTOP.width) {
          // Words changed in the wording show in the letter as they are typed, blanks filled in.
          await page.getByText("Change the wording").click();
          const body = page.getByLabel("Your letter", { exact: true });
          await body.fill(`${await body.inputValue()}\n\nP. D. [your name], desde [your country].`);
          await expect.poll(() => original.locator(".letter-sheet").innerText()).toContain("P. D. Ana Narrow, desde Perú.");
        }
        await page.getByRole("button", { name: "Review my letter" }).click();
        await page.getByRole("heading", { level: 2, name: "Check your letter before it goes" }).waitFor();
        expect(await scrollsSideways(page), `review at ${viewport.width} px`).toBe(false);
        if (javaScript) {
          // Back to the form in the page: focus on its heading, everything typed still there.
          await page.getByRole("button", { name: "Change something" }).click();
          await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("sign-heading");
          expect(await page.getByLabel("Full name", { exact: true }).inputValue()).toBe("Ana Narrow");
        }
      } finally {
        await context.close();
      }
    }
  });

  it("mirrors the columns for an Arabic reader while the Spanish letter keeps its own direction", async () => {
    const context = await newContext(browser, p, { javaScript: false, language: "ar" });
    try {
      await context.addCookies([{ name: "lang", value: "ar", url: p.url }]);
      const page = await context.newPage();
      await page.goto(LETTER_PATH);
      const sheet = page.locator(".letter-sheet").first();
      expect(await sheet.getAttribute("dir")).toBe("ltr");
      expect(await page.locator(".blank").first().getAttribute("dir")).toBe("rtl");
      // The wording field is at the inline start of an Arabic page: on the right.
      const form = (await page.locator(".sign-form").boundingBox())!;
      const officials = (await page.locator(".officials legend").boundingBox())!;
      expect(officials.x + officials.width).toBeGreaterThan(form.x + form.width - 40);
      expect(await scrollsSideways(page)).toBe(false);
    } finally {
      await context.close();
    }
  });

  it("lets a supporter without JavaScript change something after the review, and records nothing before Send", async () => {
    const context = await newContext(browser, p, { javaScript: false });
    const email = address("edit");
    try {
      const page = await context.newPage();
      await page.goto(LETTER_PATH);
      await page.getByLabel("Full name", { exact: true }).fill("Bea Edit");
      await page.getByLabel("Email address", { exact: true }).fill(email);
      await page.getByLabel("Country", { exact: true }).selectOption("CL");
      await page.getByText("Change the wording").click();
      const body = page.getByLabel("Your letter", { exact: true });
      expect(await body.inputValue()).toContain("Estimado/a [the official's title]:");
      await body.fill(`${await body.inputValue()}\n\nP. S. Escribo en nombre de mi familia.`);
      await page.getByRole("button", { name: "Review my letter" }).click();
      await page.getByRole("heading", { level: 2, name: "Check your letter before it goes" }).waitFor();
      expect(await page.locator(".review-letter").first().innerText()).toContain("Escribo en nombre de mi familia");
      expect(await recorded(email)).toBe(0);
      await page.getByRole("button", { name: "Change something" }).click();
      await page.getByLabel("Full name", { exact: true }).waitFor();
      expect(await page.getByLabel("Full name", { exact: true }).inputValue()).toBe("Bea Edit");
      expect(await page.getByLabel("Your letter", { exact: true }).inputValue()).toContain("Escribo en nombre de mi familia");
      expect(await recorded(email)).toBe(0);
      await page.getByRole("button", { name: "Review my letter" }).click();
      await page.getByRole("button", { name: "Send my letter" }).click();
      // The review page's privacy notice also says "confirm your letter": the sent page is known by its address.
      await page.waitForURL(/\/sent$/);
      await page.getByText(/confirm your letter/).first().waitFor();
      const stored = await eventually(
        () => p.database.db.selectFrom("letters as l").innerJoin("signatures as g", "g.id", "l.signature_id").innerJoin("supporters as s", "s.id", "g.supporter_id").select(["l.body", "l.edited"]).where("s.email", "=", email).executeTakeFirst(),
        10_000,
        "the stored letter",
      );
      // Stored with its placeholders, so each official's copy is filled in at delivery.
      expect(stored.body).toContain("Estimado/a {{target.title}}:");
      expect(stored.body).toContain("{{supporter.name}}");
      expect(stored.body).toContain("Escribo en nombre de mi familia");
      expect(stored.edited).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("posts every field back when Change is pressed on a review page that has not finished arriving", async () => {
    const context = await newContext(browser, p, { javaScript: false });
    try {
      const page = await context.newPage();
      await page.goto(LETTER_PATH);
      await page.getByLabel("Full name", { exact: true }).fill("Cy Early");
      await page.getByLabel("Email address", { exact: true }).fill(address("early"));
      await page.getByLabel("Country", { exact: true }).selectOption("PE");
      // The review page is cut off just after its Change button, as a slow connection would leave it.
      let cut = false;
      await page.route(/\/campaigns\/[^/]+\/[^/?]+\?index/, async (route) => {
        if (route.request().method() !== "POST" || cut) return route.fallback();
        const answer = await route.fetch();
        const html = await answer.text();
        const end = html.indexOf("</button>", html.indexOf('value="edit"'));
        expect(end, "the review's Change button").toBeGreaterThan(0);
        cut = true;
        await route.fulfill({ response: answer, body: html.slice(0, end + "</button>".length) });
      });
      await page.getByRole("button", { name: "Review my letter" }).click();
      await page.getByRole("button", { name: "Change something" }).waitFor();
      expect(cut).toBe(true);
      const posted = page.waitForRequest((r) => r.method() === "POST");
      await page.getByRole("button", { name: "Change something" }).click();
      const form = new URLSearchParams((await posted).postData() ?? "");
      expect(form.get("intent")).toBe("edit");
      expect(form.get("name")).toBe("Cy Early");
      expect(form.get("country")).toBe("PE");
      expect(form.get("body")).toContain("Estimado/a [the official's title]:");
      await page.getByLabel("Full name", { exact: true }).waitFor();
      expect(await page.getByLabel("Full name", { exact: true }).inputValue()).toBe("Cy Early");
    } finally {
      await context.close();
    }
  });

  it("answers a tampered or oversized review with the form's own message and records nothing", async () => {
    const base = { name: "Tamper Test", country: "GB", subject: "Subject", body: "Dear [the official's title], please act. [your name]" };
    const cases: [string, Record<string, string>, number[], RegExp][] = [
      ["unknown official", { intent: "review" }, [999_999], /Choose among the officials listed here/],
      ["no official", { intent: "review" }, [], /Choose at least one official/],
      ["too long", { intent: "review", body: "x".repeat(5001) }, [ids.justice], /This is too long/],
      ["blanks expand past the limit", { intent: "review", body: "[your name]".repeat(450) }, [ids.justice], /This is too long/],
      ["control characters", { intent: "review", name: "Bad\u0007Name" }, [ids.justice], /./],
      ["sent with an unknown official", { intent: "send" }, [ids.justice, 999_999], /Choose among the officials listed here/],
    ];
    for (const [what, extra, targets, message] of cases) {
      const email = address("tamper");
      const res = await postLetter(p, { ...base, email, ...extra }, targets);
      expect(res.status, what).toBe(400);
      expect(await res.text(), what).toMatch(message);
      expect(await recorded(email), what).toBe(0);
    }
    // More than the form can hold is refused before it is read.
    const huge = address("huge");
    const res = await postLetter(p, { ...base, email: huge, intent: "review", body: "y".repeat(40_000) }, [ids.justice]);
    expect([400, 413]).toContain(res.status);
    expect(await recorded(huge)).toBe(0);

    // A valid review answers the review, filled in per official, and still records nothing.
    const fine = address("fine");
    const review = await postLetter(p, { ...base, email: fine, intent: "review" }, [ids.justice, ids.pardons]);
    expect(review.status).toBe(200);
    const html = (await review.text()).replace(/<[^>]+>/g, "");
    expect(html).toContain("Check your letter before it goes");
    expect(html).toContain("Dear Ministro de Justicia, please act. Tamper Test");
    expect(html).toContain("Dear Presidente de la Comisión Especial de Indultos, please act. Tamper Test");
    expect(await recorded(fine)).toBe(0);
  });

  it("offers the thank-you page's reader the calls to action they have not taken, and ways to share", async () => {
    const email = address("thanks");
    const confirm = async (mailCount: number) => {
      const mail = await eventually(async () => p.smtp.to(email)[mailCount - 1], 20_000, `confirmation ${mailCount} to ${email}`);
      const res = await fetch(confirmLink(mail.text), { method: "POST", redirect: "manual" });
      expect(res.status).toBe(302);
      return res.headers.get("location")!;
    };
    const wrote = await postLetter(p, { name: "Thea Thanks", email, country: "FR", subject: "S", body: "Dear [the official's title]" }, [ids.justice]);
    expect(wrote.status).toBe(302);
    const sent = await (await fetch(`${p.url}${wrote.headers.get("location")}`)).text();
    for (const title of Object.values(OTHER_ACTIONS)) expect(sent).toContain(title);

    const afterLetter = await confirm(1);
    expect(afterLetter).toMatch(/\/thanks\?done=[0-9]+-[A-Za-z0-9_-]{22}&letter=/);
    const context = await newContext(browser, p, { javaScript: false });
    try {
      const page = await context.newPage();
      const response = await page.goto(afterLetter);
      expect(response?.headers()["referrer-policy"]).toBe("same-origin");
      const next = page.locator(".next-actions");
      expect((await next.innerText()).split("\n").map((s) => s.trim()).sort()).toEqual(Object.values(OTHER_ACTIONS).sort());
      // Sharing without JavaScript: a link to copy and plain share addresses, no third-party script.
      expect(await page.locator(".copy-link input").inputValue()).toContain(`${LETTER_PATH}?source=share-link`);
      const shares = await page.locator(".share-links a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const start of ["mailto:", "https://wa.me/", "https://x.com/intent/post", "https://www.facebook.com/sharer/sharer.php", "https://bsky.app/intent/compose"]) {
        expect(shares.some((h) => h.startsWith(start)), start).toBe(true);
      }
      expect(await page.locator("script[src^='http']").count()).toBe(0);

      // After also signing the first petition, the thank-you page offers only the two left.
      const signed = await postSign(p.url, { name: "Thea Thanks", email, country: "FR" });
      expect(signed.status).toBe(302);
      const afterPetition = await confirm(2);
      await page.goto(afterPetition);
      const left = (await page.locator(".next-actions").innerText()).split("\n").map((s) => s.trim()).sort();
      expect(left).toEqual([OTHER_ACTIONS["resource-the-pardon-commission"], OTHER_ACTIONS["close-challapalca-and-yanamayo"]].sort());

      // A reference that was not issued tells nothing about anyone: only the action on the page is left out.
      const forged = afterPetition.replace(/done=([0-9]+)-/, (_m, id: string) => `done=${Number(id) - 1}-`);
      await page.goto(forged);
      expect(await page.locator(".next-actions").innerText()).toContain(OTHER_ACTIONS["resource-the-pardon-commission"]);
      expect(await page.locator(".next-actions").innerText()).toContain("Write to the Minister of Justice");
    } finally {
      await context.close();
    }
  });
});
