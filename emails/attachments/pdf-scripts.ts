import bidiFactory from "bidi-js";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// pdfkit shapes a run of text with fontkit (Arabic joining forms, ligatures, CJK metrics) but
// neither reorders right-to-left text nor falls back to another font for a script its font lacks.
// Text in such scripts is laid out here instead: broken into lines, reordered by the Unicode
// bidirectional algorithm, and drawn run by run, each run in a font that has its script.

const require = createRequire(import.meta.url);
const fontsOf = (pkg: string) => join(dirname(require.resolve(pkg)), "..", "fonts");
const NASKH = fontsOf("@embedpdf/fonts-arabic");
const HANS = fontsOf("@embedpdf/fonts-sc");

/** Fonts for the scripts DejaVu lacks: Noto Naskh Arabic and Noto Sans SC (Simplified Chinese, GB 2312). */
export const SCRIPT_FACES = {
  arabic: join(NASKH, "NotoNaskhArabic-Regular.ttf"),
  arabicBold: join(NASKH, "NotoNaskhArabic-Bold.ttf"),
  hans: join(HANS, "NotoSansHans-Regular.otf"),
  hansBold: join(HANS, "NotoSansHans-Bold.otf"),
} as const;

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/;
const ARABIC = /[\u0600-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]/;
const CJK = /[\u2E80-\u2FDF\u3000-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]|[\u{20000}-\u{3FFFF}]/u;
const LETTER = /[\p{L}\p{M}]/u;
const CJK_OR_SPACE_TOKEN = /[\u2E80-\u2FDF\u3000-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}][^\S\n]*|[^\s\u2E80-\u2FDF\u3000-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]+[^\S\n]*|[^\S\n]+/gu;

/** Whether `text` needs this layout: right-to-left or Chinese script. Latin, Greek and Cyrillic go straight to pdfkit. */
export function needsScriptLayout(text: string): boolean {
  return RTL.test(text) || CJK.test(text);
}

type Family = "base" | "arabic" | "hans";
const familyOf = (char: string): Family | null => (ARABIC.test(char) ? "arabic" : CJK.test(char) ? "hans" : LETTER.test(char) ? "base" : null);

let bidi: ReturnType<typeof bidiFactory> | undefined;

/** A piece of a line drawn in one font, left to right, with its width. */
export interface Run {
  text: string;
  family: Family;
  width: number;
}

/** One laid-out line: its runs in visual order and its width. */
export interface Line {
  runs: Run[];
  width: number;
  rtl: boolean;
}

/** Measures `text` set in the font of `family` (pdfkit's own measure, shaped as drawn). */
export type Measure = (text: string, family: Family) => number;

/**
 * Breaks one paragraph into lines of at most `width` points and orders each line for display:
 * runs of right-to-left text come out in logical order (fontkit reverses a right-to-left script
 * run itself, after shaping it); runs of neutral characters inside them are reversed and mirrored.
 */
export function layoutParagraph(paragraph: string, width: number, measure: Measure): Line[] {
  bidi ??= bidiFactory();
  if (!paragraph) return [{ runs: [], width: 0, rtl: false }];
  const levels = bidi.getEmbeddingLevels(paragraph);
  const rtl = (levels.paragraphs[0]?.level ?? 0) % 2 === 1;

  // Every character's font: its script's, or for spaces, digits and punctuation the one before it.
  const chars = Array.from(paragraph);
  const families: Family[] = [];
  const offsets: number[] = [];
  let offset = 0;
  let current: Family | null = null;
  for (const c of chars) {
    const own = familyOf(c);
    if (own) current = own;
    families.push(own ?? current ?? "base");
    offsets.push(offset);
    offset += c.length;
  }
  // Leading neutrals take the first script that follows them.
  const first = families.findIndex((_, i) => familyOf(chars[i]!) !== null);
  for (let i = 0; i < first; i++) families[i] = families[first]!;
  const charAt = new Map(offsets.map((o, i) => [o, i]));

  // Break opportunities: after spaces, and between Chinese characters.
  const tokens = [...paragraph.matchAll(CJK_OR_SPACE_TOKEN)].map((m) => [m.index, m.index + m[0].length] as const);
  const widthOf = (start: number, end: number) => segments(start, end).reduce((sum, s) => sum + measure(s.text, s.family), 0);
  function segments(start: number, end: number) {
    const out: { text: string; family: Family }[] = [];
    for (let o = start; o < end; ) {
      const i = charAt.get(o)!;
      const c = chars[i]!;
      const last = out.at(-1);
      if (last && last.family === families[i]) last.text += c;
      else out.push({ text: c, family: families[i]! });
      o += c.length;
    }
    return out;
  }

  const lines: Line[] = [];
  let lineStart = 0;
  let lineEnd = 0;
  let used = 0;
  for (const [start, end] of tokens) {
    const trimmed = paragraph.slice(start, end).trimEnd();
    const w = widthOf(start, start + trimmed.length);
    if (lineEnd > lineStart && used + w > width) {
      lines.push(orderLine(paragraph, levels, lineStart, lineEnd, families, charAt, measure, rtl));
      lineStart = start;
      used = 0;
    }
    used += widthOf(start, end);
    lineEnd = end;
  }
  if (lineEnd > lineStart) lines.push(orderLine(paragraph, levels, lineStart, lineEnd, families, charAt, measure, rtl));
  return lines;
}

function orderLine(
  text: string,
  levels: ReturnType<ReturnType<typeof bidiFactory>["getEmbeddingLevels"]>,
  start: number,
  endExclusive: number,
  families: Family[],
  charAt: Map<number, number>,
  measure: Measure,
  rtl: boolean,
): Line {
  const end = start + text.slice(start, endExclusive).trimEnd().length;
  if (end <= start) return { runs: [], width: 0, rtl };
  // Visual order of UTF-16 positions; surrogate pairs are kept whole below.
  const order: number[] = [];
  for (let i = start; i < end; i++) order.push(i);
  // Each segment is a span of positions in the line as reordered so far, reversed in turn.
  for (const [from = start, to = start] of bidi!.getReorderSegments(text, levels, start, end - 1)) {
    order.splice(from - start, to - from + 1, ...order.slice(from - start, to - start + 1).reverse());
  }
  const mirrored = bidi!.getMirroredCharactersMap(text, levels.levels, start, end - 1);

  // Group neighbours of one font and one direction into runs.
  const groups: { positions: number[]; family: Family; odd: boolean }[] = [];
  for (const position of order) {
    const i = charAt.get(position);
    if (i === undefined) continue; // the low half of a surrogate pair
    const family = families[i]!;
    const odd = levels.levels[position]! % 2 === 1;
    const last = groups.at(-1);
    if (last && last.family === family && last.odd === odd) last.positions.push(position);
    else groups.push({ positions: [position], family, odd });
  }
  const charFrom = (p: number) => String.fromCodePoint(text.codePointAt(p)!);
  const runs = groups.map(({ positions, family, odd }) => {
    const logical = [...positions].sort((x, y) => x - y);
    const strongRtl = odd && logical.some((p) => RTL.test(charFrom(p)));
    // fontkit reverses a right-to-left script run after shaping: give it logical order. Neutrals
    // alone in a right-to-left run are not reversed by fontkit: give them in visual order, mirrored.
    const sequence = strongRtl ? logical : positions;
    const runText = sequence.map((p) => (odd ? (mirrored.get(p) ?? charFrom(p)) : charFrom(p))).join("");
    return { text: runText, family, width: measure(runText, family) };
  });
  return { runs, width: runs.reduce((sum, r) => sum + r.width, 0), rtl };
}
