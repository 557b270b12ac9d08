import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer";
import { describe, expect, it } from "vitest";
import { prepareConfirmSignature, renderConfirmSignature, type ConfirmSignatureProps } from "#emails/confirm-signature";
import { encodedPart, type PartBody } from "#emails/encoded-part";
import { fillerOf, placeholders, splitTemplate } from "#emails/template-cache";
import { confirmProps as base } from "./confirm-email-props";

// The worker hands nodemailer the confirmation email's parts already encoded from the cached
// template. What a supporter's mail program decodes must be exactly what the rendered email says,
// with the headers and transfer encodings nodemailer would have chosen for the rendered text.

const date = new Date("2026-12-01T10:00:00Z");

/** The message nodemailer builds for these parts, as it goes over the wire. */
function compose(mail: { subject: string; html: PartBody; text: PartBody }, to = "ana@example.org"): Promise<string> {
  const message = new MailComposer({ from: "Inkwell <noreply@inkwell.test>", to, subject: mail.subject, html: mail.html, text: mail.text, messageId: "<confirm.7.1@inkwell.test>", date }).compile();
  message.boundaryPrefix = "--_fixed";
  return new Promise((resolve, reject) => message.build((err, raw) => (err ? reject(err) : resolve(raw.toString("utf8")))));
}

const encodings = (raw: string) => [...raw.matchAll(/^Content-Transfer-Encoding: (.+)$/gim)].map((m) => m[1]!.trim());
const longestLine = (raw: string) => Math.max(...raw.split(/\r?\n/).map((line) => line.length));

/** The prepared message and the rendered one decode to the same email, headers and encodings included. */
async function sameEmail(props: ConfirmSignatureProps, to?: string) {
  const prepared = await compose(await prepareConfirmSignature(props), to);
  const rendered = await compose(await renderConfirmSignature(props, { cached: false }), to);
  const [a, b] = await Promise.all([simpleParser(prepared), simpleParser(rendered)]);
  const label = `${props.language} ${props.reminder} ${props.name}`;
  expect(a.html, label).toBe(b.html);
  expect(a.text, label).toBe(b.text);
  expect(a.subject, label).toBe(b.subject);
  expect([...a.headers.keys()], label).toEqual([...b.headers.keys()]);
  expect(a.messageId).toBe("<confirm.7.1@inkwell.test>");
  expect(encodings(prepared), label).toEqual(encodings(rendered));
  expect(longestLine(prepared), label).toBeLessThanOrEqual(76);
  return prepared;
}


const names = [
  '<b>&"\'', "O'Brien & Sons", "Ana  María \t López", "José 🕊️ Ñandú", "=3D=\r\n.", ". starts with a dot",
  "Ana ".repeat(60).trim(), "فاطمة الزهراء", "a".repeat(90), "trailing space ",
];

describe("confirmation email parts encoded from the cached template", () => {
  it("decode to exactly the rendered email, in every language, first email and reminder", async () => {
    for (const language of ["en", "fr", "es", "ar", "es-PE"]) {
      for (const reminder of [false, true]) {
        for (const name of names) {
          await sameEmail({ ...base, language, reminder, name, actionTitle: `${name} — «title»`, confirmUrl: `${base.confirmUrl}?a=1&b='2'` });
        }
      }
    }
  });

  it("encode the parts once per template yet carry each supporter's own name, link and language", async () => {
    const ana = await sameEmail({ ...base, name: "Ana Quispe", confirmUrl: "https://inkwell.example/confirm/ana-token" });
    const luis = await sameEmail({ ...base, language: "es", name: "Luis Huamán", confirmUrl: "https://inkwell.example/confirm/luis-token" }, "luis@example.org");
    const [a, l] = await Promise.all([simpleParser(ana), simpleParser(luis)]);
    expect(a.text).toContain("https://inkwell.example/confirm/ana-token");
    expect(a.text).not.toContain("luis-token");
    expect(l.text).toContain("https://inkwell.example/confirm/luis-token");
    expect(l.html).toContain('lang="es"');
    expect(l.html).toContain("Luis Huamán");
    expect(l.html).not.toContain("Ana Quispe");
    expect(encodings(ana)).toEqual(["quoted-printable", "quoted-printable"]);
  });

  it("take a changed action title at once: the title is filled per message, never part of the cache", async () => {
    const before = await simpleParser(await sameEmail({ ...base, actionTitle: "Close Challapalca prison" }));
    const after = await simpleParser(await sameEmail({ ...base, actionTitle: "Close Yanamayo prison" }));
    expect(before.text).toContain("Close Challapalca prison");
    expect(after.text).toContain("Close Yanamayo prison");
    expect(after.text).not.toContain("Challapalca");
  });

  it("a letter's email is rendered afresh, letter and all, as before", async () => {
    const props = { ...base, letter: { subject: "Release them", body: "Dear Minister,\n\nRelease every innocent prisoner.\n" } };
    expect(await prepareConfirmSignature(props)).toEqual(await renderConfirmSignature(props, { cached: false }));
  });
});

describe("a text part encoded from its template", () => {
  const slots = placeholders(["name"] as const);
  const partOf = (template: string) => {
    const parts = splitTemplate(template, slots);
    return encodedPart("text/plain", parts, fillerOf(parts));
  };

  it("leaves short plain ASCII lines to nodemailer (7bit), and mostly non-Latin text (base64)", () => {
    expect(partOf(`Hello ${slots.name},\nthanks.\n`)({ name: "Ana" }, (v) => v)).toBe("Hello Ana,\nthanks.\n");
    expect(partOf(`مرحبا ${slots.name}، شكرا لك على توقيعك\n`)({ name: "فاطمة" }, (v) => v)).toBe("مرحبا فاطمة، شكرا لك على توقيعك\n");
  });

  it("quotes the rest, the fixed text encoded once and each value joined with soft line breaks", async () => {
    const fill = partOf(`${"Grüße ".repeat(30)}${slots.name}${" and more".repeat(20)}\n`);
    const part = fill({ name: "Ana ".repeat(40) }, (v) => v);
    expect(part).toMatchObject({ raw: expect.stringMatching(/^Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/) });
    const raw = await compose({ subject: "s", text: part, html: "<p>x</p>" });
    expect(longestLine(raw)).toBeLessThanOrEqual(76);
    expect((await simpleParser(raw)).text).toBe(`${"Grüße ".repeat(30)}${"Ana ".repeat(40)}${" and more".repeat(20)}\n`);
  });

  it("keeps every line within 76 characters where a value or a piece ends on a full line", async () => {
    for (const length of [73, 74, 75, 76, 77, 151, 152]) {
      const fill = partOf(`ü${"a".repeat(length)}${slots.name}${"b".repeat(length)}`);
      const part = fill({ name: "n".repeat(length) }, (v) => v);
      expect(part).toHaveProperty("raw");
      const raw = await compose({ subject: "s", text: part, html: "<p>x</p>" });
      expect(longestLine(raw), String(length)).toBeLessThanOrEqual(76);
      expect((await simpleParser(raw)).text).toBe(`ü${"a".repeat(length)}${"n".repeat(length)}${"b".repeat(length)}`);
    }
  });
});
