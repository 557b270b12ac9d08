import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "#core/rules";
import { renderConfirmSignature } from "#emails/confirm-signature";
import { renderDeliveryNotice } from "#emails/delivery-notice";
import { renderLetterBatch } from "#emails/letter-batch";
import { renderPasswordReset } from "#emails/password-reset";
import { renderPrivacyLink } from "#emails/privacy-link";
import { renderStaffAlert, renderStaffDigest } from "#emails/staff-alert";
import { renderUpdate } from "#emails/update";
import { launchBrowser } from "../support/browser";

// Every email as its reader opens it on a small phone: 320 px wide in Chromium, checked with axe
// (WCAG 2.2 A/AA and best practices), for sideways scrolling, and for the contrast and underline of
// every link as the browser computes them; then its plain-text part, as a text-only reader sees it.

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// An email has no page structure of its own to mark (mail programs wrap it in theirs).
const NOT_FOR_EMAIL = ["region", "landmark-one-main", "page-has-heading-one"];

// A confirmation token is 43 characters with no place to break: the case that once widened the email.
const TOKEN = "Zx9_Qw-7Lk2Pm4Rt6Yu8Io0PaSdFgHjKlZxCvBnMq1W";
const APP = "https://letters.inkwell.example";
const letter = { subject: "Liberen a los inocentes", body: `Señor Ministro:\n\nLe escribo por las personas condenadas injustamente.\nhttps://example.org/${TOKEN}/${TOKEN}\n\nAtentamente,\nAna Quispe` };
const item = { name: "Ana Quispe", country: "PE", postalCode: "15001", signedAt: new Date("2026-11-30T10:00:00Z"), subject: letter.subject, body: letter.body, comment: null, edited: false, language: "es" };

type Mail = { subject: string; html: string; text: string };
const supporterEmails: Record<string, (language: string) => Promise<Mail>> = {
  "petition confirmation": (language) => renderConfirmSignature({ language, name: "Ana Quispe", actionTitle: "Free every innocent prisoner now", confirmUrl: `${APP}/confirm/${TOKEN}`, reminder: false }),
  "letter confirmation (with the letter)": (language) => renderConfirmSignature({ language, name: "Ana Quispe", actionTitle: "Write to the Minister of Justice", confirmUrl: `${APP}/confirm/${TOKEN}`, reminder: true, letter }),
  "campaign update": (language) =>
    renderUpdate({ language, subject: "The Pardon Commission meets again", bodyMarkdown: `The commission **reviewed 40 cases**.\n\n- Read [the report](https://example.org/report)\n- Or the full text: https://example.org/${TOKEN}/${TOKEN}\n`, campaignTitle: "Free Peru's innocent prisoners", unsubscribeUrl: `${APP}/unsubscribe/${TOKEN}.${TOKEN}` }),
  "delivery notice": (language) => renderDeliveryNotice({ language, name: "Ana Quispe", delivered: [{ official: "Ministro de Justicia", deliveredAt: new Date("2026-12-01T09:00:00Z") }, { official: "Presidente del Consejo de Ministros", deliveredAt: new Date("2026-12-01T09:00:00Z") }], unsubscribeUrl: `${APP}/unsubscribe/${TOKEN}` }),
  "privacy link": (language) => renderPrivacyLink({ language, url: `${APP}/privacy/my-data/${TOKEN}` }),
  "letter batch to an official": (language) => renderLetterBatch({ language, kind: "letter", campaignTitle: "Free Peru's innocent prisoners", actionTitle: "Write to the Minister of Justice", ask: "Release every innocent prisoner.", targetTitle: "Ministro de Justicia", items: 2, itemsToDate: 40, part: 1, parts: 2, seq: 3, preview: [item, { ...item, name: "Luis Huamán" }] }),
  "petition batch to an official": (language) => renderLetterBatch({ language, kind: "petition", campaignTitle: "Free Peru's innocent prisoners", actionTitle: "Free every innocent prisoner now", ask: "Release every innocent prisoner.", targetTitle: "Ministro de Justicia", items: 1, itemsToDate: 1, part: 1, parts: 1, seq: 1, preview: [{ ...item, comment: "Libertad para los inocentes." }] }),
};
// The workspace, and so its emails, is in English.
const staffEmails: Record<string, () => Promise<Mail>> = {
  "password reset": () => renderPasswordReset({ name: "Rosa", resetUrl: `${APP}/admin/reset-password/${TOKEN}` }),
  "official flagged alert": () => renderStaffAlert({ name: "Rosa", appUrl: APP, alert: { campaignId: 1, kind: "official", detail: { campaign: "Free Peru's innocent prisoners", official: "Ministro de Justicia", batch: 3, targetId: 2, reason: `550 5.1.1 <${TOKEN}@minjus.example> mailbox unknown` } } }),
  "reply alert": () => renderStaffAlert({ name: "Rosa", appUrl: APP, alert: { campaignId: 1, kind: "reply", detail: { campaign: "Free Peru's innocent prisoners", official: "Ministro de Justicia", batch: 3, replyId: 7 } } }),
  "webhook paused alert": () => renderStaffAlert({ name: "Rosa", appUrl: APP, alert: { campaignId: 1, kind: "webhook", detail: { campaign: "Free Peru's innocent prisoners", url: `https://hooks.partner.example/inkwell/${TOKEN}${TOKEN}`, failures: 12 } } }),
  "daily digest": () => renderStaffDigest({ name: "Rosa", appUrl: APP, alerts: [
    { campaignId: 1, kind: "batch", detail: { campaign: "Free Peru's innocent prisoners", official: "Ministro de Justicia", batch: 3, event: "bounced", reason: `550 5.1.1 <${TOKEN}@minjus.example>` }, createdAt: new Date("2026-12-01T09:00:00Z") },
    { campaignId: 1, kind: "goal", detail: { campaign: "Free Peru's innocent prisoners", goal: 1000, count: 1004 }, createdAt: new Date("2026-12-01T10:00:00Z") },
  ] }),
};

interface LinkLook {
  text: string;
  ratio: number;
  underlined: boolean;
  button: boolean;
}

/** Every link's contrast against what is behind it and whether it is underlined, from computed styles. */
function linkLooks(page: Page): Promise<LinkLook[]> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const ch = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * ch(r!) + 0.7152 * ch(g!) + 0.0722 * ch(b!);
    };
    const behind = (el: Element): number[] => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    return [...document.querySelectorAll("a")].map((a) => {
      const style = getComputedStyle(a);
      const [fg, bg] = [lum(rgb(style.color)), lum(behind(a))];
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const ownBackground = rgb(style.backgroundColor);
      const button = ownBackground.length === 3 || (ownBackground.length === 4 && ownBackground[3]! > 0);
      return { text: a.textContent ?? "", ratio, underlined: style.textDecorationLine.includes("underline"), button };
    });
  });
}

async function checkHtml(page: Page, label: string, mail: Mail, language: string, { hasLinks = true } = {}) {
  await page.setContent(mail.html, { waitUntil: "load" });
  const doc = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir, title: document.title, width: document.documentElement.scrollWidth, bodyWidth: document.body.scrollWidth }));
  expect(doc.lang, label).toBe(language);
  expect(doc.dir, label).toBe(language === "ar" ? "rtl" : "ltr");
  expect(doc.title, label).toBe(mail.subject);
  expect(Math.max(doc.width, doc.bodyWidth), `${label}: wider than the 320 px screen`).toBeLessThanOrEqual(320);

  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (disabled) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] }, rules: Object.fromEntries(disabled.map((id) => [id, { enabled: false }])) });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
  }, NOT_FOR_EMAIL);
  expect(violations, label).toEqual([]);

  const links = await linkLooks(page);
  if (hasLinks) expect(links.length, label).toBeGreaterThan(0);
  for (const link of links) {
    expect(link.ratio, `${label}: link "${link.text}"`).toBeGreaterThanOrEqual(4.5);
    if (!link.button) expect(link.underlined, `${label}: link "${link.text}" is not underlined`).toBe(true);
  }
}

function checkText(label: string, mail: Mail) {
  const text = mail.text;
  expect(text, `${label}: markup in the text part`).not.toMatch(/<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i);
  expect(text, `${label}: entities in the text part`).not.toMatch(/&(amp|lt|gt|quot|#x?[0-9a-f]+);/i);
  expect(text, `${label}: preview padding in the text part`).not.toMatch(/[\u200b-\u200f\u2060\ufeff]/);
  expect(text, `${label}: bracketed link`).not.toMatch(/\[https?:/);
  expect(text, `${label}: runs of blank lines`).not.toMatch(/\n\s*\n\s*\n/);
  for (const line of text.split("\n")) {
    const url = line.match(/https?:\/\/\S+/)?.[0];
    if (url) expect(line.trim(), `${label}: a link shares its line`).toBe(url);
  }
  expect(text.split("\n").some((l) => l.trim().startsWith(APP) || l.trim().startsWith("https://hooks.")), `${label}: the action's address`).toBe(true);
}

describe("emails that fit a phone and read well as text", () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 320, height: 640 }, javaScriptEnabled: true });
  });
  afterAll(async () => browser?.close());

  for (const [name, render] of Object.entries(supporterEmails)) {
    it(`${name}: in ${LANGUAGES.join(", ")}`, async () => {
      for (const language of LANGUAGES) {
        const mail = await render(language);
        await checkHtml(page, `${name} (${language})`, mail, language, { hasLinks: !name.includes("batch") });
        if (!name.includes("batch")) checkText(`${name} (${language})`, mail);
      }
    });
  }

  for (const [name, render] of Object.entries(staffEmails)) {
    it(`${name} (workspace, English)`, async () => {
      const mail = await render();
      await checkHtml(page, name, mail, "en");
      checkText(name, mail);
    });
  }

  it("reads a batch's text part without markup, letters and all", async () => {
    for (const language of LANGUAGES) {
      const mail = await supporterEmails["letter batch to an official"]!(language);
      expect(mail.text).not.toMatch(/<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i);
      expect(mail.text).toContain("Señor Ministro:\n\nLe escribo");
    }
  });
});
