import type { Browser, Page } from "playwright-core";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverAction } from "#services/deliveries";
import { hydrated, launchBrowser, newContext } from "../support/browser";
import { LETTER_ACTION, OFFICIALS, letterAction, pdfOf } from "../support/letters";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "../support/platform";

const LETTER_PATH = `/campaigns/${DEMO.campaign}/${LETTER_ACTION}`;

/** What a supporter reading each language meets on the way, and writes. */
const READERS = {
  fr: {
    dir: "ltr",
    name: "Élise Dupré-Nguyễn",
    heading: "Écrivez votre lettre",
    labels: { name: "Nom complet", email: "Adresse e-mail", country: "Pays" },
    submit: "Envoyer ma lettre",
    sent: /confirmer votre lettre/,
    subject: "Confirmez votre lettre",
    confirm: "Confirmer ma lettre",
    campaignLabel: "Campagne",
    thanks: "Merci : votre lettre est en route",
  },
  ar: {
    dir: "rtl",
    name: "ليلى حداد",
    heading: "اكتب رسالتك",
    labels: { name: "الاسم الكامل", email: "البريد الإلكتروني", country: "البلد" },
    submit: "أرسل رسالتي",
    sent: /لتأكيد رسالتك/,
    subject: "يُرجى تأكيد رسالتك",
    confirm: "أكّد رسالتي",
    campaignLabel: "الحملة",
    thanks: "شكرًا لك: رسالتك في الطريق",
  },
} as const;

/** Letters, marks and digits of `text`; a lam-alef ligature's two letters put in one order (pdf.js reverses them). */
const words = (text: string) => text.normalize("NFC").replace(/\u0644([\u0622\u0623\u0625\u0627])/g, "$1\u0644").match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];

describe("a supporter writes the Peru letter in French and in Arabic", () => {
  let p: TestPlatform;
  let browser: Browser;
  let ids: Awaited<ReturnType<typeof letterAction>>;

  beforeAll(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
    ids = await letterAction(p);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it("negotiates each of the four languages from Accept-Language", async () => {
    for (const [header, lang, dir] of [["fr-CA,fr;q=0.9", "fr", "ltr"], ["ar-EG", "ar", "rtl"], ["es-PE", "es", "ltr"], ["de, en;q=0.5", "en", "ltr"]] as const) {
      const html = await (await fetch(`${p.url}${LETTER_PATH}`, { headers: { "Accept-Language": header } })).text();
      expect(html, header).toContain(`<html lang="${lang}" dir="${dir}">`);
    }
    // The workspace is written in English and declares it, whatever the public pages were switched to.
    const workspace = await (await fetch(`${p.url}/admin/sign-in`, { headers: { Cookie: "lang=ar", "Accept-Language": "ar" } })).text();
    expect(workspace).toContain(`<html lang="en" dir="ltr">`);
  });

  for (const [language, r] of Object.entries(READERS)) {
    for (const javaScript of [true, false]) {
      it(`in ${language} ${javaScript ? "with" : "without"} JavaScript, and the official receives it printed correctly`, async () => {
        const context = await newContext(browser, p, { javaScript, language });
        // The language a supporter chose with the switcher (its cookie), whatever the browser's own.
        await context.addCookies([{ name: "lang", value: language, url: p.url }]);
        const email = `writer-${language}-${javaScript ? "js" : "nojs"}-${process.pid}@example.org`;
        const name = `${r.name} ${javaScript ? "Alpha" : "Beta"}`;
        try {
          const page: Page = await context.newPage();
          await page.goto(LETTER_PATH);
          if (javaScript) await hydrated(page);
          expect(await page.locator("html").getAttribute("lang")).toBe(language);
          expect(await page.locator("html").getAttribute("dir")).toBe(r.dir);
          await page.getByRole("heading", { name: r.heading }).waitFor();
          // Each other language is offered by its own name.
          const switcher = page.getByRole("navigation").getByRole("link");
          expect((await switcher.allInnerTexts()).filter((t) => ["English", "Français", "Español", "العربية"].includes(t.trim())).length).toBe(3);

          await page.getByLabel(r.labels.name, { exact: true }).fill(name);
          await page.getByLabel(r.labels.email, { exact: true }).fill(email);
          await page.getByLabel(r.labels.country, { exact: true }).selectOption("LB");
          await page.getByRole("button", { name: r.submit }).click();
          await page.getByText(r.sent).waitFor();

          const mail = await eventually(async () => p.smtp.to(email)[0], 20_000, `the confirmation email to ${email}`);
          expect(mail.subject).toBe(r.subject);
          expect(mail.parsed.html || "").toContain(`dir="${r.dir}"`);
          // The email repeats the letter: the Spanish template, filled in for the first official.
          expect(mail.text).toContain("Ministro de Justicia");
          expect(mail.text).toContain(name);

          await page.goto(new URL(confirmLink(mail.text)).pathname);
          if (javaScript) await hydrated(page);
          expect(await page.getByText(r.campaignLabel, { exact: true }).isVisible()).toBe(true);
          await page.getByRole("button", { name: r.confirm }).click();
          await page.getByRole("heading", { level: 1, name: r.thanks }).waitFor();

          await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
          const printed = await eventually(
            async () => {
              for (const m of p.smtp.messages.filter((x) => x.to.includes(OFFICIALS.justice))) {
                const text = words(await pdfText(m)).join(" ");
                if (words(name).every((w) => ` ${text} `.includes(` ${w} `))) return text;
              }
              return undefined;
            },
            30_000,
            "the batch to the Minister",
          );
          for (const word of words(name)) expect(printed).toContain(word);
          // The official, known only by the office, is named once on the letter.
          expect(printed.split("Ministro de Justicia").length - 1).toBeGreaterThanOrEqual(1);
          expect(printed).not.toContain("Ministro de Justicia Ministro de Justicia");
        } finally {
          await context.close();
        }
      });
    }
  }
});

const texts = new WeakMap<object, Promise<string>>();
/** The text of a batch email's PDF attachment, extracted with pdf.js. */
function pdfText(mail: Parameters<typeof pdfOf>[0]): Promise<string> {
  let text = texts.get(mail);
  if (!text) {
    text = getDocumentProxy(new Uint8Array(pdfOf(mail))).then(async (doc) => (await extractText(doc, { mergePages: true })).text);
    texts.set(mail, text);
  }
  return text;
}
