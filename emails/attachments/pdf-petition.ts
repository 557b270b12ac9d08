import type { BatchFormat } from "./format";
import { oneLine, plainText } from "./format";
import type { AttachmentLabels } from "./labels";
import { INK, MUTED, Pen, RULE } from "./pdf-kit";
import type { BatchHeading, SignerRow } from "./rows";
import { officialLines } from "#db/officials-format";

/** Where the signers table's columns sit on the page. */
export interface SignerTable {
  number: { right: number };
  name: { x: number; width: number };
  country: { x: number; width: number };
  date: { x: number; width: number };
  comment: { x: number; width: number };
  /** Where the first row of every table page starts. */
  top: number;
}

const PAD = 3.5;
const CELL = { face: "sans", size: 9.5 } as const;
const COMMENT = { face: "serifItalic", size: 8.5, color: MUTED } as const;

/** The column layout of the signers table on `doc`'s pages. */
export function signerTable(doc: PDFKit.PDFDocument): SignerTable {
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const name = { x: left + 40, width: 200 };
  const country = { x: name.x + name.width + 12, width: 112 };
  const date = { x: country.x + country.width + 12, width: right - (country.x + country.width + 12) };
  return { number: { right: left + 28 }, name, country, date, comment: { x: name.x, width: right - name.x }, top: doc.page.margins.top + 24 };
}

/** The petition's first page: what it asks, of whom, on whose behalf and when. */
export function drawCover(pen: Pen, heading: BatchHeading, format: BatchFormat, labels: AttachmentLabels): void {
  const { doc } = pen;
  const { margins } = doc.page;
  const width = doc.page.width - margins.left - margins.right;
  const left = margins.left;

  pen.use({ face: "sansBold", size: 9, color: MUTED });
  doc.text(labels.petition.toUpperCase(), left, margins.top + 8, { width, characterSpacing: 1.5 });
  doc.moveDown(0.8);
  pen.use({ face: "serifBold", size: 22 });
  pen.write(oneLine(heading.campaignTitle), undefined, undefined, { width, lineGap: 2 });
  doc.moveDown(0.3);
  pen.use({ face: "serif", size: 14, color: MUTED });
  pen.write(oneLine(heading.actionTitle), undefined, undefined, { width, lineGap: 2 });

  doc.moveDown(1.6);
  pen.rule(doc.y);
  const blockTop = doc.y + 14;
  const dateX = left + width * 0.62;
  pen.use({ face: "sansBold", size: 8, color: MUTED });
  pen.line(labels.addressedTo.toUpperCase(), left, blockTop);
  pen.line(labels.date.toUpperCase(), dateX, blockTop);
  pen.use({ face: "serif", size: 10.5 });
  pen.write(format.longDate(heading.date), dateX, blockTop + 16, { width: width * 0.38 });
  const { target } = heading;
  pen.use({ face: "serifBold", size: 10.5 });
  const [first, ...rest] = officialLines({ name: oneLine(target.name), title: oneLine(target.title), organisation: oneLine(target.organisation) });
  pen.write(first ?? "", left, blockTop + 16, { width: width * 0.58 });
  pen.use({ face: "serif", size: 10.5 });
  for (const part of [...rest, plainText(target.postalAddress)]) {
    if (part) pen.write(part, undefined, undefined, { width: width * 0.58 });
  }
  doc.moveDown(1.4);
  pen.rule(doc.y);

  doc.moveDown(1.8);
  pen.use({ face: "serif", size: 12 });
  pen.write(plainText(heading.ask), left, doc.y, { width, lineGap: 4.5 });

  doc.moveDown(2.5);
  pen.use({ face: "serifItalic", size: 10.5, color: MUTED });
  pen.write(labels.signaturesFollow, undefined, undefined, { width });
  doc.moveDown(0.5);
  pen.use({ face: "sans", size: 9.5, color: MUTED });
  pen.write(oneLine(heading.batchLabel), undefined, undefined, { width });
}

/** Column headings at the top of a table page; leaves the pen where the first row goes. */
export function drawTableHeader(pen: Pen, table: SignerTable, labels: AttachmentLabels): void {
  const { doc } = pen;
  const top = doc.page.margins.top;
  pen.aside(() => {
    pen.use({ face: "sansBold", size: 8, color: MUTED });
    pen.line(labels.number, table.number.right, top + 6, "right");
    pen.line(labels.name.toUpperCase(), table.name.x, top + 6);
    pen.line(labels.country.toUpperCase(), table.country.x, top + 6);
    pen.line(labels.signed.toUpperCase(), table.date.x, top + 6);
    pen.rule(table.top - 4, INK, 0.8);
  });
  doc.y = table.top;
}

/** One signer as a table row, the comment underneath in smaller type; starts a page when the row does not fit. */
export function drawSigner(pen: Pen, table: SignerTable, number: number, row: SignerRow, format: BatchFormat): void {
  const { doc } = pen;
  const name = oneLine(row.name);
  const country = format.country(row.country);
  const date = format.shortDate(row.signedAt);
  const comment = row.comment ? plainText(row.comment) : "";

  pen.use(CELL);
  const cells = Math.max(
    pen.heightOf(name, { width: table.name.width }),
    pen.heightOf(country, { width: table.country.width }),
    pen.heightOf(date, { width: table.date.width }),
  );
  pen.use(COMMENT);
  const note = comment ? 3 + pen.heightOf(comment, { width: table.comment.width, lineGap: 1 }) : 0;
  // A row taller than a whole page (a very long comment) starts where it is and flows on.
  if (doc.y + PAD * 2 + cells + note > doc.page.height - doc.page.margins.bottom && doc.y > table.top) doc.addPage();

  const y = doc.y + PAD;
  pen.use({ ...CELL, color: MUTED });
  pen.line(String(number), table.number.right, y, "right");
  pen.use(CELL);
  pen.write(name, table.name.x, y, { width: table.name.width });
  pen.write(country, table.country.x, y, { width: table.country.width });
  pen.write(date, table.date.x, y, { width: table.date.width });
  let bottom = y + cells;
  if (comment) {
    pen.use(COMMENT);
    pen.write(comment, table.comment.x, bottom + 3, { width: table.comment.width, lineGap: 1 });
    bottom = doc.y;
  }
  doc.x = doc.page.margins.left;
  doc.y = bottom + PAD;
  pen.rule(doc.y, RULE, 0.3);
}
