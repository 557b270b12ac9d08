import type { Readable } from "node:stream";
import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { lettersPdf, petitionPdf, type BatchHeading, type LetterRow } from "#emails/attachments/index";

async function bytesOf(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

async function pagesOf(pdf: Readable): Promise<string[]> {
  const doc = await getDocumentProxy(await bytesOf(pdf));
  const { text } = await extractText(doc, { mergePages: false });
  return text.map((page) => page.normalize("NFC"));
}

/**
 * The words of `text` (letters and digits only), in order, for comparing what was printed with what
 * extracts back. A lam-alef ligature is one glyph for two letters, and pdf.js, reordering a
 * right-to-left line, reverses the two letters it maps to; both sides are put in one order.
 */
const words = (text: string) => (text.normalize("NFC").replace(/\u0644([\u0622\u0623\u0625\u0627])/g, "$1\u0644").match(/[\p{L}\p{M}\p{N}]+/gu) ?? []);

interface Sample {
  script: string;
  language: string;
  target: BatchHeading["target"];
  name: string;
  subject: string;
  body: string;
}

const SAMPLES: Sample[] = [
  {
    script: "Latin",
    language: "es",
    target: { name: "Ministro de Justicia", title: "Ministro de Justicia", organisation: "Ministerio de Justicia y Derechos Humanos", postalAddress: "Scipión Llona 350, Miraflores, Lima" },
    name: "Zoë Núñez-Łukasiewicz",
    subject: "Liberen a los presos inocentes",
    body: "Señor Ministro:\n\nLe escribo desde Perú para pedirle que libere sin demora a las personas condenadas injustamente.\n\nAtentamente,",
  },
  {
    script: "Arabic",
    language: "ar",
    target: { name: "وزير العدل", title: "وزير العدل", organisation: "وزارة العدل", postalAddress: "شارع الجمهورية 12، القاهرة" },
    name: "ليلى حداد",
    subject: "أطلقوا سراح السجناء الأبرياء",
    body: "السيد الوزير المحترم،\n\nأكتب إليكم من لبنان لأطالبكم بالإفراج الفوري عن 12 سجينًا بريئًا، وبإغلاق سجن Challapalca.\n\nمع فائق الاحترام،",
  },
  {
    script: "Chinese",
    language: "zh-Hans",
    target: { name: "司法部长", title: "司法部长", organisation: "司法部", postalAddress: "北京市朝阳区 10 号" },
    name: "王小明",
    subject: "请释放无辜的囚犯",
    body: "尊敬的部长：\n\n我从上海写信给您，恳请您立即释放所有被错误定罪的人，并关闭 Yanamayo 监狱。\n\n此致敬礼",
  },
  {
    script: "Cyrillic",
    language: "ru",
    target: { name: "Министр юстиции", title: "Министр юстиции", organisation: "Министерство юстиции", postalAddress: "ул. Житная, 14, Москва" },
    name: "Анна Петрова",
    subject: "Освободите невиновных заключённых",
    body: "Уважаемый господин министр!\n\nЯ пишу вам из Казани и прошу немедленно освободить всех невиновно осуждённых.\n\nС уважением,",
  },
];

function headingFor(s: Sample): BatchHeading {
  return { language: s.language, campaignTitle: s.subject, actionTitle: s.subject, ask: s.body, target: s.target, batchLabel: "1", date: new Date("2026-03-02T12:00:00Z") };
}

describe("PDFs in every script", () => {
  for (const s of SAMPLES) {
    it(`prints a ${s.script} letter whose text extracts back word for word`, async () => {
      const row: LetterRow = { name: s.name, country: "PE", signedAt: new Date("2026-03-01T12:00:00Z"), subject: s.subject, body: s.body };
      const [page] = await pagesOf(lettersPdf((async function* () { yield row; })(), headingFor(s)));
      const printed = words(page!).join(" ");
      for (const part of [s.name, s.subject, s.body, s.target.organisation]) {
        for (const word of words(part)) expect(printed, `${s.script}: ${word}`).toContain(word);
      }
      // The subject's words come back in reading order, whatever the direction of the script.
      expect(printed).toContain(words(s.subject).join(" "));
      // An official known only by their office is named once.
      expect(page!.split(s.target.title).length - 1).toBe(1);
    });

    it(`prints a ${s.script} petition pack whose signers extract back`, async () => {
      const signer = { name: s.name, country: "PE", signedAt: new Date("2026-03-01T12:00:00Z"), comment: s.subject };
      const pages = await pagesOf(petitionPdf((async function* () { yield signer; })(), headingFor(s)));
      const printed = words(pages.join("\n")).join(" ");
      for (const word of words(`${s.name} ${s.subject}`)) expect(printed).toContain(word);
    });
  }
});
