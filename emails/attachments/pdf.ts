import type { Readable } from "node:stream";
import { batchFormat, oneLine, plainText, type BatchFormat } from "./format";
import { attachmentLabels } from "./labels";
import { INK, MUTED, Pen, openDocument, pacedPdf } from "./pdf-kit";
import { isRightToLeft } from "#core/rules";
import { officialLines } from "#db/officials-format";
import { drawCover, drawSigner, drawTableHeader, type SignerTable, signerTable } from "./pdf-petition";
import type { BatchHeading, LetterRow, SignerRow } from "./rows";

/** One letter per A4 page (continued when long), addressed to the official, dated, signed, as a paced PDF stream. */
export function lettersPdf(rows: AsyncIterable<LetterRow>, heading: BatchHeading): Readable {
  const doc = openDocument(`${heading.campaignTitle} — ${heading.actionTitle}`, heading.language);
  const pen = new Pen(doc);
  pen.rtl = isRightToLeft(heading.language);
  const labels = attachmentLabels(heading.language);
  const format = batchFormat(heading.language);
  let page = 0;
  let continuing: string | null = null;

  doc.on("pageAdded", () => {
    page += 1;
    const runningHead = continuing;
    pen.aside(() => {
      drawFooter(pen, heading.batchLabel, labels.page(page));
      if (runningHead) {
        pen.use({ face: "serifItalic", size: 8.5, color: MUTED });
        pen.line(labels.continued(runningHead), doc.page.margins.left, doc.page.margins.top - 20);
      }
    });
  });

  async function* letters() {
    for await (const row of rows) {
      continuing = null;
      doc.addPage();
      continuing = oneLine(row.name);
      drawLetter(pen, row, heading, format);
      yield;
    }
    // A PDF without pages is not a valid PDF: an empty batch gets one page with its footer.
    if (page === 0) doc.addPage();
  }
  return pacedPdf(pen, letters());
}

/** A cover page with the petition, then its signers in a table, as many per page as fit, as a paced PDF stream. */
export function petitionPdf(rows: AsyncIterable<SignerRow>, heading: BatchHeading): Readable {
  const doc = openDocument(`${heading.campaignTitle} — ${heading.actionTitle}`, heading.language);
  const pen = new Pen(doc);
  pen.rtl = isRightToLeft(heading.language);
  const labels = attachmentLabels(heading.language);
  const format = batchFormat(heading.language);
  let page = 0;
  let table: SignerTable | null = null;

  doc.on("pageAdded", () => {
    page += 1;
    pen.aside(() => drawFooter(pen, heading.batchLabel, labels.page(page)));
    if (table) drawTableHeader(pen, table, labels);
  });

  async function* pages() {
    doc.addPage();
    drawCover(pen, heading, format, labels);
    yield;
    let number = 0;
    for await (const row of rows) {
      if (!table) {
        table = signerTable(doc);
        doc.addPage();
      }
      drawSigner(pen, table, ++number, row, format);
      yield;
    }
  }
  return pacedPdf(pen, pages());
}

function drawFooter(pen: Pen, batchLabel: string, pageLabel: string): void {
  const { doc } = pen;
  const { margins, width, height } = doc.page;
  const y = height - margins.bottom + 34;
  pen.rule(y - 8);
  pen.use({ face: "sans", size: 8, color: MUTED });
  pen.line(oneLine(batchLabel), margins.left, y);
  pen.line(pageLabel, width - margins.right, y, "right");
}

function addressLines(address: string, printed: string[]): string {
  const lines = address.split("\n");
  while (lines.length > 0 && printed.some((p) => p.trim().toLowerCase() === lines[0]!.trim().toLowerCase())) lines.shift();
  return lines.join("\n");
}

function drawLetter(pen: Pen, row: LetterRow, heading: BatchHeading, format: BatchFormat): void {
  const { doc } = pen;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  const target = row.target ?? heading.target;

  const [first, ...rest] = officialLines({ name: oneLine(target.name), title: oneLine(target.title), organisation: oneLine(target.organisation) });
  pen.use({ face: "serifBold", size: 10.5 });
  pen.write(first ?? "", left, doc.page.margins.top, { width });
  pen.use({ face: "serif", size: 10.5 });
  for (const part of rest) pen.write(part, undefined, undefined, { width });
  // An address that starts with the office or organisation already printed does not repeat it.
  const address = addressLines(plainText(target.postalAddress), [first ?? "", ...rest]);
  if (address) pen.write(address, undefined, undefined, { width });

  doc.moveDown(2);
  pen.write(format.longDate(row.signedAt), undefined, undefined, { width, align: "end" });

  doc.moveDown(2);
  pen.use({ face: "serifBold", size: 12 });
  pen.write(oneLine(row.subject), undefined, undefined, { width, lineGap: 2 });

  doc.moveDown(1);
  pen.use({ face: "serif", size: 11 });
  pen.write(plainText(row.body), undefined, undefined, { width, lineGap: 3.5 });

  // Name and country are never split across pages.
  const signature = 60;
  if (doc.y + signature > doc.page.height - doc.page.margins.bottom) doc.addPage();
  else doc.moveDown(1.5);
  pen.use({ face: "serifBold", size: 11 });
  pen.write(oneLine(row.name), left, doc.y, { width });
  pen.use({ face: "serif", size: 10.5, color: MUTED });
  pen.write(format.country(row.country), undefined, undefined, { width });
  pen.use({ face: "serif", size: 11, color: INK });
}
