import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { inflateSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { lettersCsv, lettersPdf, neutraliseCsvCell, petitionPdf, signersCsv, type BatchHeading, type LetterRow, type SignerRow } from "#emails/attachments/index";

const heading: BatchHeading = {
  language: "es",
  campaignTitle: "Perú, 2003",
  actionTitle: "Liberen a los inocentes",
  ask: "Le pedimos que libere a las personas condenadas injustamente y cierre la prisión de Challapalca.",
  target: { name: "Dr. Fausto Alvarado", title: "Ministro de Justicia", organisation: "Ministerio de Justicia", postalAddress: "Av. Scipión Llona 350\nMiraflores, Lima" },
  batchLabel: "Lote 3 · parte 1 de 2",
  date: new Date("2003-05-14T12:00:00Z"),
};

function letter(name: string, body = "Señor Ministro:\n\nLe ruego que actúe sin demora.\n\nAtentamente,"): LetterRow {
  return { name, country: "PE", signedAt: new Date("2003-05-10T15:00:00Z"), subject: "Liberen a los inocentes", body };
}

async function* from<T>(rows: T[]): AsyncGenerator<T> {
  yield* rows;
}

async function* failingAfter<T>(rows: T[], error: Error): AsyncGenerator<T> {
  yield* rows;
  throw error;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A strict RFC 4180 reader: CRLF between records, quotes only around whole fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') {
        field += c;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
      }
    } else if (c === '"') {
      if (field !== "" || wasQuoted) throw new Error(`stray quote at ${i}`);
      quoted = wasQuoted = true;
    } else if (c === "," || (c === "\r" && text[i + 1] === "\n")) {
      record.push(field);
      field = "";
      wasQuoted = false;
      if (c === "\r") {
        records.push(record);
        record = [];
        i++;
      }
    } else if (c === "\r" || c === "\n") {
      throw new Error(`bare line break at ${i}`);
    } else {
      if (wasQuoted) throw new Error(`text after closing quote at ${i}`);
      field += c;
    }
  }
  if (quoted) throw new Error("unterminated quote");
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

/** Pages in a PDF: page objects, not the page tree. */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type \/Page(?!s)/g) ?? []).length;
}

/**
 * The text of a pdfkit PDF, one line per text run, pages in order. pdfkit writes glyph ids of
 * subset fonts; each font's ToUnicode map turns them back into characters.
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const objects = new Map<string, { dict: string; stream: string | null }>();
  for (const m of raw.matchAll(/(\d+) 0 obj\n([\s\S]*?)(?:stream\n([\s\S]*?)\nendstream\n)?endobj/g)) {
    const stream = m[3] === undefined ? null : inflateSync(Buffer.from(m[3], "latin1")).toString("latin1");
    objects.set(m[1]!, { dict: m[2]!, stream });
  }
  const fonts = new Map<string, Map<string, string>>();
  for (const { dict } of objects.values()) {
    for (const [, name, id] of dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      if (fonts.has(name!)) continue;
      const cmapId = /\/ToUnicode (\d+) 0 R/.exec(objects.get(id!)!.dict)![1]!;
      const glyphs = new Map<string, string>();
      for (const [, start, entries] of objects.get(cmapId)!.stream!.matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/g)) {
        [...entries!.matchAll(/<([0-9a-f ]+)>/g)].forEach(([, units], k) => {
          const text = String.fromCharCode(...units!.split(" ").map((u) => parseInt(u, 16)));
          glyphs.set((parseInt(start!, 16) + k).toString(16).padStart(4, "0"), text);
        });
      }
      fonts.set(name!, glyphs);
    }
  }
  const lines: string[] = [];
  for (const { stream } of objects.values()) {
    if (!stream?.includes(" Tf")) continue;
    let font = new Map<string, string>();
    for (const [, name, run] of stream.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (name) font = fonts.get(name)!;
      else lines.push([...run!.matchAll(/<([0-9a-f]+)>/g)].map(([, hex]) => hex!.match(/.{4}/g)!.map((g) => font.get(g) ?? "?").join("")).join(""));
    }
  }
  return lines.join("\n");
}

describe("neutraliseCsvCell", () => {
  it.each(["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")", "-5", "＝1"])("quotes away a cell starting %j", (value) => {
    expect(neutraliseCsvCell(value)).toBe(`'${value}`);
  });

  it.each(["Ana Quispe", "42", "5-3", "a=b", " =1", "", "'quoted"])("leaves %j alone", (value) => {
    expect(neutraliseCsvCell(value)).toBe(value);
  });

  it("strips NUL bytes, also ones hiding a formula", () => {
    expect(neutraliseCsvCell("An\u0000a")).toBe("Ana");
    expect(neutraliseCsvCell("\u0000=1")).toBe("'=1");
  });
});

describe("lettersCsv and signersCsv", () => {
  const tricky: LetterRow = {
    name: '=cmd|" /C calc"!A0',
    country: "PE",
    signedAt: new Date("2003-05-10T23:59:59Z"),
    subject: 'Comma, "quotes" and\nnewline',
    body: "Line one\r\nline two, with comma\n-5 is not a formula here\n\u0000@end",
  };

  it("writes a BOM, a translated header and one RFC 4180 record per letter", async () => {
    const csv = await bytesOf(lettersCsv(from([tricky, letter("Ana Quispe")]), "es"));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString("utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual([
      ["nombre", "país", "fecha", "asunto", "carta"],
      ["'=cmd|\" /C calc\"!A0", "Perú", "2003-05-10", 'Comma, "quotes" and\nnewline', "Line one\r\nline two, with comma\n-5 is not a formula here\n@end"],
      ["Ana Quispe", "Perú", "2003-05-10", "Liberen a los inocentes", "Señor Ministro:\n\nLe ruego que actúe sin demora.\n\nAtentamente,"],
    ]);
  });

  it("falls back to English words (Intl still names countries in the language), and writes signers with their comments", async () => {
    const signers: SignerRow[] = [
      { name: "Søren", country: "DK", signedAt: new Date("2003-05-01T00:00:00Z"), comment: "+1 from Copenhagen" },
      { name: "Анна", country: "RU", signedAt: new Date("2003-05-02T00:00:00Z"), comment: null },
      { name: "Lines", country: "PE", signedAt: new Date("2003-05-03T00:00:00Z"), comment: "first line\nsecond line" },
    ];
    const csv = (await bytesOf(signersCsv(from(signers), "fr"))).toString("utf8");
    expect(parseCsv(csv.replace(/^\uFEFF/, ""))).toEqual([
      ["name", "country", "date", "comment"],
      ["Søren", "Danemark", "2003-05-01", "'+1 from Copenhagen"],
      ["Анна", "Russie", "2003-05-02", ""],
      ["Lines", "Pérou", "2003-05-03", "first line\nsecond line"],
    ]);
    const es = (await bytesOf(signersCsv(from(signers), "es-PE"))).toString("utf8");
    expect(es.slice(1, es.indexOf("\r\n"))).toBe("nombre,país,fecha,comentario");
  });

  it("fails the stream with the row source's error", async () => {
    const csv = lettersCsv(failingAfter([letter("Ana")], new Error("cursor lost")), "es");
    await expect(bytesOf(csv)).rejects.toThrow("cursor lost");
  });

  it("reads no further rows than the reader asks for", async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<LetterRow> {
      for (;;) {
        pulled += 1;
        yield letter(`Supporter ${pulled}`, "x".repeat(1500));
      }
    }
    const csv = lettersCsv(endless(), "en");
    csv.on("readable", () => {}); // asks the stream to fill its buffer, and then reads nothing
    await sleep(50);
    expect(pulled).toBeLessThan(100);
    csv.destroy();
  });
});

describe("lettersPdf", () => {
  it("sets one A4 page per short letter, addressed, dated and signed, markup printed as text", async () => {
    const rows = [letter("Ana Quispe"), letter("Jean-François Lefèvre <script>alert(1)</script>", "<b>no es negrita</b> &amp; Ñandú"), letter("Ιωάννης Παπαδόπουλος")];
    const pdf = await bytesOf(lettersPdf(from(rows), heading));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.subarray(-6).toString()).toBe("%%EOF\n");
    expect(pdfPages(pdf)).toBe(3);
    expect(pdf.toString("latin1")).toContain("/MediaBox [0 0 595.28 841.89]");
    const text = pdfText(pdf);
    for (const expected of ["Dr. Fausto Alvarado", "Ministro de Justicia", "Av. Scipión Llona 350", "10 de mayo de 2003", "Liberen a los inocentes", "Ana Quispe", "Perú", "Lote 3 · parte 1 de 2", "Página 3"]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain("Jean-François Lefèvre <script>alert(1)</script>");
    expect(text).toContain("<b>no es negrita</b> &amp; Ñandú");
    expect(text).toContain("Ιωάννης Παπαδόπουλος");
  });

  it("addresses a letter to the official its row names, others to the heading's", async () => {
    const other = { name: "Sra. Ana Jara", title: "Presidenta del Consejo de Ministros", organisation: "PCM", postalAddress: "Jr. Carabaya s/n, Lima" };
    const pdf = await bytesOf(lettersPdf(from([{ ...letter("Ana Quispe"), target: other }, letter("Luis Huamán")]), heading));
    const [first, second] = pdfText(pdf).split("Página 2"); // each page starts with its footer
    expect(first).toContain("Sra. Ana Jara");
    expect(first).not.toContain("Dr. Fausto Alvarado");
    expect(second).toContain("Dr. Fausto Alvarado");
  });

  it("continues a long letter on further pages, under a running head", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Párrafo ${i + 1}: le ruego que actúe sin demora para que sean puestas en libertad.`).join("\n\n");
    const pdf = await bytesOf(lettersPdf(from([letter("Ana Quispe", long), letter("Luis Huamán")]), heading));
    expect(pdfPages(pdf)).toBeGreaterThanOrEqual(4);
    const text = pdfText(pdf);
    expect(text).toContain("Carta de Ana Quispe (continuación)");
    expect(text).toContain("Párrafo 40");
    expect(text).not.toContain("Carta de Luis Huamán (continuación)");
  });

  it("fails the stream with the row source's error", async () => {
    const pdf = lettersPdf(failingAfter([letter("Ana"), letter("Luis")], new Error("cursor lost")), heading);
    await expect(bytesOf(pdf)).rejects.toThrow("cursor lost");
  });

  it("ends the row source when the reader gives up", async () => {
    let closed = false;
    async function* rows(): AsyncGenerator<LetterRow> {
      try {
        for (let i = 0; ; i++) yield letter(`Supporter ${i}`);
      } finally {
        closed = true;
      }
    }
    const pdf = lettersPdf(rows(), heading);
    for await (const _ of pdf) break;
    // The source closes once the document notices; wait for that, not for a fixed time.
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 5_000, interval: 10 });
  });

  it("draws no further ahead of a slow reader than a few pages", { timeout: 300_000 }, async () => {
    const total = 3_000;
    const paragraph = "Le escribo para pedirle que libere a las personas condenadas injustamente en virtud de la legislación antiterrorista de 1992 y que repare el daño causado. ";
    let pulled = 0;
    let received = 0;
    let mostAhead = 0;
    async function* rows(): AsyncGenerator<LetterRow> {
      for (let i = 0; i < total; i++) {
        pulled += 1;
        mostAhead = Math.max(mostAhead, pulled - received);
        yield letter(`Supporter ${i}`, `Señor Ministro:\n\n${paragraph.repeat(4)}\n\n${paragraph.repeat(4)}\n\nAtentamente,`);
      }
    }
    let tail = "";
    let chunks = 0;
    const slowReader = new Writable({
      async write(chunk: Buffer, _encoding, done) {
        const text = tail + chunk.toString("latin1");
        received += (text.match(/\/Type \/Page(?!s)/g) ?? []).length - (tail.match(/\/Type \/Page(?!s)/g) ?? []).length;
        tail = text.slice(-16);
        if (++chunks <= 3000) await sleep(1);
        done();
      },
    });
    await pipeline(lettersPdf(rows(), heading), slowReader);
    expect(received).toBe(total);
    expect(mostAhead).toBeGreaterThan(0);
    expect(mostAhead).toBeLessThan(200);
  });
});

describe("petitionPdf", () => {
  it("sets a cover page, then the signers as a table with comments, many to a page", async () => {
    const signers: SignerRow[] = Array.from({ length: 60 }, (_, i) => ({
      name: i === 7 ? "Ñusta <i>Huamán</i>" : `Firmante ${i + 1}`,
      country: i % 2 ? "PE" : "ES",
      signedAt: new Date(Date.UTC(2003, 4, 1 + (i % 28))),
      comment: i % 5 === 0 ? `¡Libertad ya! (${i + 1})` : null,
    }));
    const pdf = await bytesOf(petitionPdf(from(signers), heading));
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(4);
    const text = pdfText(pdf);
    for (const expected of ["PETICIÓN", "Perú, 2003", "Liberen a los inocentes", "Dr. Fausto Alvarado", "14 de mayo de 2003", "Challapalca", "NOMBRE", "Firmante 60", "Ñusta <i>Huamán</i>", "España", "¡Libertad ya! (56)", "Lote 3 · parte 1 de 2"]) {
      expect(text).toContain(expected);
    }
    expect(text.indexOf("Challapalca")).toBeLessThan(text.indexOf("Firmante 1"));
  });

  it("fails the stream with the row source's error", async () => {
    const signer: SignerRow = { name: "Ana", country: "PE", signedAt: new Date(), comment: null };
    await expect(bytesOf(petitionPdf(failingAfter([signer], new Error("cursor lost")), heading))).rejects.toThrow("cursor lost");
  });
});
