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
  en: {
    dir: "ltr",
    name: "Margaret O'Brien-Okafor",
    heading: "Write your letter",
    labels: { name: "Full name", email: "Email address", country: "Country" },
    blank: "[your name]",
    lebanon: "Líbano",
    review: "Review my letter",
    reviewHeading: "Check your letter before it goes",
    submit: "Send my letter",
    sent: /confirm your letter/,
    subject: "Please confirm your letter",
    confirm: "Confirm my letter",
    campaignLabel: "Campaign",
    thanks: "Thank you: your letter is on its way",
  },
  fr: {
    dir: "ltr",
    name: "Élise Dupré-Nguyễn",
    heading: "Écrivez votre lettre",
    labels: { name: "Nom complet", email: "Adresse e-mail", country: "Pays" },
    blank: "[votre nom]",
    lebanon: "Líbano",
    review: "Relire ma lettre",
    reviewHeading: "Relisez votre lettre avant son envoi",
    submit: "Envoyer ma lettre",
    sent: /confirmer votre lettre/,
    subject: "Confirmez votre lettre",
    confirm: "Confirmer ma lettre",
    campaignLabel: "Campagne",
    thanks: "Merci : votre lettre est en route",
  },
  es: {
    dir: "ltr",
    name: "Rosa Quispe Mamani",
    heading: "Escribe tu carta",
    labels: { name: "Nombre completo", email: "Correo electrónico", country: "País" },
    blank: "[tu nombre]",
    lebanon: "Líbano",
    review: "Revisar mi carta",
    reviewHeading: "Revisa tu carta antes de enviarla",
    submit: "Enviar mi carta",
    sent: /confirmar tu carta/,
    subject: "Confirma tu carta",
    confirm: "Confirmar mi carta",
    campaignLabel: "Campaña",
    thanks: "Gracias: tu carta ya va en camino",
  },
  ar: {
    dir: "rtl",
    name: "ليلى حداد",
    heading: "اكتب رسالتك",
    labels: { name: "الاسم الكامل", email: "البريد الإلكتروني", country: "البلد" },
    blank: "[اسمك]",
    lebanon: "Líbano",
    review: "راجع رسالتي",
    reviewHeading: "راجع رسالتك قبل إرسالها",
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

describe("a supporter writes the Peru letter in each of the four languages", () => {
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

          // The letter reads like a letter: no placeholder syntax, blanks in the reader's words.
          const letterSheet = page.locator(".letter-sheet").first();
          expect(await letterSheet.getAttribute("lang")).toBe("es");
          expect(await page.locator("main").innerText()).not.toContain("{{");
          expect(await letterSheet.innerText()).toContain(r.blank);
          expect(await letterSheet.innerText()).toContain("Estimado/a Ministro de Justicia:");

          await page.getByLabel(r.labels.name, { exact: true }).fill(name);
          await page.getByLabel(r.labels.email, { exact: true }).fill(email);
          await page.getByLabel(r.labels.country, { exact: true }).selectOption("LB");
          if (javaScript) {
            // Filled in as they type, the country named in the official's language.
            await expect.poll(() => letterSheet.innerText()).toContain(name);
            await expect.poll(() => letterSheet.innerText()).toContain(`desde ${r.lebanon}`);
            expect(await letterSheet.innerText()).not.toContain(r.blank);
          }
          await page.getByRole("button", { name: r.review }).click();
          const reviewHeading = page.getByRole("heading", { level: 2, name: r.reviewHeading });
          await reviewHeading.waitFor();
          if (javaScript) await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("review-heading");
          // One copy per official, each addressed to them and signed with the supporter's name. Without
          // JavaScript the review is a new page, which may still be arriving when its heading shows.
          const copies = page.locator(".review-letter");
          await expect.poll(() => copies.count()).toBe(2);
          for (const [i, office] of [[0, "Ministro de Justicia"], [1, "Presidente de la Comisión Especial de Indultos"]] as const) {
            const copy = await copies.nth(i).locator(".letter-sheet").innerText();
            expect(copy).toContain(`Estimado/a ${office}:`);
            expect(copy).toContain(`desde ${r.lebanon}`);
            expect(copy).toContain(name);
            expect(copy).not.toMatch(/[[{]/);
          }
          expect(await page.locator("main").innerText()).not.toContain("{{");
          expect(await p.database.db.selectFrom("supporters").select("id").where("email", "=", email).executeTakeFirst()).toBeUndefined();
          await page.getByRole("button", { name: r.submit }).click();
          await page.waitForURL(/\/sent$/);
          // The letter page's privacy note also speaks of confirming: wait until it has gone.
          await page.locator("p.privacy-note").first().waitFor({ state: "detached" });
          await page.getByText(r.sent).waitFor();

          const mail = await eventually(async () => p.smtp.to(email)[0], 20_000, `the confirmation email to ${email}`);
          expect(mail.subject).toBe(r.subject);
          expect(mail.parsed.html || "").toContain(`dir="${r.dir}"`);
          // The email repeats the letter: the Spanish template, filled in for the first official.
          expect(mail.text).toContain("Estimado/a Ministro de Justicia:");
          expect(mail.text).toContain(name);
          expect(mail.text).not.toContain("{{");

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
          expect(printed).toContain(words("Estimado/a Ministro de Justicia").join(" "));
          expect(printed).toContain(words(`desde ${r.lebanon}`).join(" "));
          expect(printed).not.toMatch(/[{}]/);
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
