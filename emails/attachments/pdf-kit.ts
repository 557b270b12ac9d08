import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import type PDFKitDocument from "pdfkit";
import { intlLocale } from "./format";
import { SCRIPT_FACES, layoutParagraph, needsScriptLayout, type Line, type Run } from "./pdf-scripts";

const require = createRequire(import.meta.url);
const TTF = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");

// pdfkit (with fontkit) takes about half a second of a core to load, and most processes never draw a
// PDF: it loads with the first document. A plain call of `require`, not `import()`, keeps
// openDocument synchronous and out of the browser bundle's graph.
let pdfkit: typeof PDFKitDocument | undefined;

// Fonts are named by file path: pdfkit keys its per-document font cache on that name, so each face
// is parsed and embedded (subset to the glyphs used) once per document.
const FACES = {
  serif: join(TTF, "DejaVuSerif.ttf"),
  serifBold: join(TTF, "DejaVuSerif-Bold.ttf"),
  serifItalic: join(TTF, "DejaVuSerif-Italic.ttf"),
  sans: join(TTF, "DejaVuSansCondensed.ttf"),
  sansBold: join(TTF, "DejaVuSansCondensed-Bold.ttf"),
} as const;

export const INK = "#1a1a1a";
export const MUTED = "#5f6368";
export const RULE = "#b8bcc2";

/** Where a block of text sits: "start" is the left margin in a left-to-right paragraph, the right one in a right-to-left one. */
export type Align = "start" | "end" | "left" | "right";

export interface WriteOptions {
  width: number;
  align?: Align;
  lineGap?: number;
}

export interface Style {
  face: keyof typeof FACES;
  size: number;
  color?: string;
}

/**
 * A pdfkit document and the style last set through it. Page furniture drawn while pdfkit breaks a
 * page in the middle of a paragraph must restore that style, or the rest of the paragraph would
 * be set in the footer's type.
 */
export class Pen {
  private current: Style = { face: "serif", size: 11 };
  /** Whether the document's language runs right to left: "start" is then the right margin. */
  rtl = false;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  /** Sets type and colour for what is drawn next. */
  use(style: Style): this {
    this.current = style;
    this.doc.font(FACES[style.face]).fontSize(style.size).fillColor(style.color ?? INK);
    return this;
  }

  /** Draws with `draw` in between, then puts back the style, the position and the colour. */
  aside(draw: () => void): void {
    const { x, y } = this.doc;
    const saved = this.current;
    draw();
    this.use(saved);
    this.doc.x = x;
    this.doc.y = y;
  }

  /** One line of text at (x, y) that never wraps and never starts a page. */
  line(text: string, x: number, y: number, align: "left" | "right" = "left"): void {
    if (needsScriptLayout(text)) {
      const lines = this.layout(text, Number.MAX_SAFE_INTEGER);
      const width = lines[0]?.width ?? 0;
      this.drawLine(lines[0], align === "right" ? x - width : x, y);
      this.use(this.current);
      return;
    }
    const left = align === "right" ? x - this.doc.widthOfString(text) : x;
    this.doc.text(text, left, y, { lineBreak: false });
  }

  /**
   * A block of text `width` wide at (x, y), or where the last one ended, wrapped and continued on a
   * new page as needed. Arabic, Hebrew and Chinese are set in fonts that have them, in display order.
   */
  write(text: string, x: number | undefined, y: number | undefined, options: WriteOptions): void {
    const { doc } = this;
    const lineGap = options.lineGap ?? 0;
    if (!needsScriptLayout(text)) {
      const opts = { width: options.width, lineGap, align: this.side(options.align ?? "start", this.rtl) };
      if (x === undefined || y === undefined) doc.text(text, opts);
      else doc.text(text, x, y, opts);
      return;
    }
    const left = x ?? doc.x;
    let top = y ?? doc.y;
    for (const paragraph of text.split("\n")) {
      for (const line of this.layout(paragraph, options.width)) {
        const height = this.lineHeight(line) + lineGap;
        if (top + height > doc.page.height - doc.page.margins.bottom) {
          doc.addPage();
          top = doc.page.margins.top;
        }
        const side = this.side(options.align ?? "start", line.rtl);
        this.drawLine(line, side === "right" ? left + options.width - line.width : left, top);
        top += height;
      }
    }
    this.use(this.current);
    doc.x = left;
    doc.y = top;
  }

  /** The height `write` would take for `text`, without drawing it. */
  heightOf(text: string, options: WriteOptions): number {
    if (!needsScriptLayout(text)) return this.doc.heightOfString(text, { width: options.width, lineGap: options.lineGap });
    let height = 0;
    for (const paragraph of text.split("\n")) for (const line of this.layout(paragraph, options.width)) height += this.lineHeight(line) + (options.lineGap ?? 0);
    this.use(this.current);
    return height;
  }

  private side(align: Align, rtl: boolean): "left" | "right" {
    if (align === "left" || align === "right") return align;
    return (align === "end") !== rtl ? "right" : "left";
  }

  private layout(paragraph: string, width: number): Line[] {
    return layoutParagraph(paragraph, width, (text, family) => {
      this.face(family);
      return this.doc.widthOfString(text, { features: [] });
    });
  }

  private lineHeight(line: Line): number {
    this.face("base");
    let height = this.doc.currentLineHeight(true);
    for (const family of new Set(line.runs.map((r) => r.family))) {
      this.face(family);
      height = Math.max(height, this.doc.currentLineHeight(false));
    }
    return height;
  }

  private drawLine(line: Line | undefined, x: number, y: number): void {
    let cx = x;
    for (const run of line?.runs ?? []) {
      this.face(run.family);
      this.doc.text(run.text, cx, y, { lineBreak: false, features: [] });
      cx += run.width;
    }
  }

  /** Sets the font of a script family in the current style's weight and size. */
  private face(family: Run["family"]): void {
    const bold = this.current.face.endsWith("Bold");
    const path = family === "arabic" ? (bold ? SCRIPT_FACES.arabicBold : SCRIPT_FACES.arabic) : family === "hans" ? (bold ? SCRIPT_FACES.hansBold : SCRIPT_FACES.hans) : FACES[this.current.face];
    this.doc.font(path).fontSize(this.current.size);
  }

  /** Empties pdfkit's per-font cache of word layouts, which otherwise grows with every new word set. */
  forgetWordLayouts(): void {
    // The cache makes setting text about four times faster, but with 100,000 letters of names and
    // free text it would grow without bound; emptied every few hundred units it stays small. It is
    // not public API: if it moves, this does nothing and only memory suffers.
    const families = (this.doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies;
    for (const font of Object.values(families ?? {})) if (font.layoutCache) font.layoutCache = Object.create(null);
  }

  /** A hairline across the text block at height y. */
  rule(y: number, color = RULE, width = 0.5): void {
    const { margins, width: pageWidth } = this.doc.page;
    this.doc.save().moveTo(margins.left, y).lineTo(pageWidth - margins.right, y).lineWidth(width).strokeColor(color).stroke().restore();
  }
}

/** An A4 document set in DejaVu (Latin, Greek, Cyrillic), with margins for a printed letter. */
export function openDocument(title: string, language: string): PDFKit.PDFDocument {
  pdfkit ??= require("pdfkit") as typeof PDFKitDocument;
  const doc = new pdfkit({
    size: "A4",
    margins: { top: 64, bottom: 84, left: 72, right: 72 },
    autoFirstPage: false,
    font: FACES.serif,
    lang: intlLocale(language),
    displayTitle: true,
    info: { Title: title, Creator: "Inkwell" },
  });
  releaseWrittenPages(doc);
  return doc;
}

/**
 * pdfkit writes a page out when the next one starts, but keeps its dictionary (and through it the
 * page's resources) to the end, for the page tree, which only needs the object's number. Emptied,
 * a written page costs about 300 bytes (its place in the page tree and the cross-reference table,
 * which a PDF writes at its end) instead of about 1 KB.
 */
function releaseWrittenPages(doc: PDFKit.PDFDocument): void {
  let previous: PDFKit.PDFPage | null = null;
  doc.on("pageAdded", () => {
    // addPage has just ended (written) the previous page: nothing reads its dictionary again.
    if (previous) previous.dictionary.data = {} as PDFKit.PDFKitReference["data"];
    previous = doc.page;
  });
}

// The reader may hold this much before the next unit is drawn: a few dozen typical pages.
const OUTPUT_HIGH_WATER_MARK = 64 * 1024;

// Units drawn between two turns of the event loop.
const UNITS_PER_BREATH = 16;

// Word layouts are forgotten after this many units (letters or signers), see forgetWordLayouts.
const UNITS_PER_LAYOUT_CACHE = 500;

/** The pen's document as a byte stream that draws the next unit (letter, signer) only when the reader wants more. */
export function pacedPdf(pen: Pen, units: AsyncIterable<unknown>): Readable {
  // pdfkit pushes output whether or not anyone reads it. What it produces is collected as it comes
  // and handed to Readable.from unit by unit; Readable.from asks for the next unit only while its
  // buffer is below the high-water mark. An error from `units` destroys the stream with that
  // error; a reader that stops early ends `units` (and so the row source it reads from).
  const { doc } = pen;
  const output = new Blocks();
  doc.on("data", (chunk: Uint8Array) => output.add(chunk));
  const ended = new Promise<void>((resolve, reject) => doc.once("end", resolve).once("error", reject));
  ended.catch(() => {}); // awaited below unless `units` fails first

  let abandoned = false;
  async function* bytes(): AsyncGenerator<Buffer> {
    try {
      let count = 0;
      for await (const _ of units) {
        if (++count % UNITS_PER_LAYOUT_CACHE === 0) pen.forgetWordLayouts();
        // Drawing is synchronous work: let timers and I/O run now and then (job lock renewals,
        // the SMTP socket), and stop drawing as soon as the reader has gone.
        if (count % UNITS_PER_BREATH === 0) await new Promise((resolve) => setImmediate(resolve));
        if (abandoned) return;
        yield* output.take();
      }
      doc.end();
      await ended;
      yield* output.take();
    } finally {
      doc.destroy();
    }
  }
  const stream = Readable.from(bytes(), { objectMode: false, highWaterMark: OUTPUT_HIGH_WATER_MARK });
  stream.once("close", () => (abandoned = true));
  return stream;
}

/**
 * pdfkit's output joined into blocks of about 16 KB as it arrives. It writes in pieces of a few
 * bytes, and at the end writes the cross-reference table in one go, one 20-byte piece per object:
 * 400,000 pieces for 100,000 letters, which kept one by one cost ten times their size.
 */
class Blocks {
  private blocks: Buffer[] = [];
  private pieces: Uint8Array[] = [];
  private size = 0;

  add(piece: Uint8Array): void {
    this.pieces.push(piece);
    this.size += piece.length;
    if (this.size >= 16 * 1024 || this.pieces.length >= 512) this.seal();
  }

  /** Everything received so far, in blocks. */
  take(): Buffer[] {
    this.seal();
    const blocks = this.blocks;
    this.blocks = [];
    return blocks;
  }

  private seal(): void {
    if (this.pieces.length === 0) return;
    this.blocks.push(Buffer.concat(this.pieces, this.size));
    this.pieces = [];
    this.size = 0;
  }
}
