import { hasLongerLines, isPlainText } from "nodemailer/lib/mime-funcs";
import { encode, wrap } from "nodemailer/lib/qp";
import type { Filler, TemplateParts } from "./template-cache";

// nodemailer encodes each text part of every message afresh: it scans the text to choose an
// encoding, then quoted-printable encodes and wraps every byte, which costs more than the rest of
// the send. A part filled from a cached template is mostly fixed text, so here the fixed pieces are
// encoded once, and per message only the values: soft line breaks (`=` at the end of a line) join
// the encoded pieces, and a reader decodes exactly the filled template. The choice stays
// nodemailer's: only where it would pick quoted-printable is the part handed over already encoded
// (nodemailer's `raw` node); for 7bit (short plain ASCII lines) or base64 (mostly non-Latin text),
// the filled text goes to nodemailer as any other.

/** A text part as nodemailer takes it: the text itself, or the part already encoded, headers and all. */
export type PartBody = string | { raw: string };
export type PartFiller<K extends string> = (values: Record<K, string>, encodeValue: (value: string) => string) => PartBody;

// Each encoded line is at most 75 characters, so a soft break after the last one keeps it within 76.
const LINE = 75;
const SOFT = "=\r\n";
const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

interface Counts {
  latin: number;
  other: number;
}

/** nodemailer's tally for choosing quoted-printable over base64: Latin letters against control and non-ASCII characters. */
function tally(value: string, into: Counts): void {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) into.other++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) into.latin++;
  }
}

const encoded = (value: string) => wrap(encode(crlf(value)), LINE);
// Encoded runs one after the other, each on a new line: after a hard line break as it is, else after a soft one.
function joinRuns(runs: string[]): string {
  let out = "";
  let open = false;
  for (const run of runs) {
    if (run === "") continue;
    out += open ? SOFT + run : run;
    open = !run.endsWith("\n");
  }
  return out;
}

/**
 * The part filler of a template split at its placeholders, for a `contentType` such as
 * "text/html": given the values, the part as nodemailer would encode it (see the note above).
 */
export function encodedPart<K extends string>(contentType: string, parts: TemplateParts<K>, fill: Filler<K>): PartFiller<K> {
  const head = `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
  const fixed = parts.pieces.map(encoded);
  const fixedCounts: Counts = { latin: 0, other: 0 };
  for (const piece of parts.pieces) tally(piece, fixedCounts);
  const fixedPlain = parts.pieces.every((piece) => isPlainText(piece));
  return (values, encodeValue) => {
    const filled = parts.order.map((key) => encodeValue(values[key]));
    const counts = { ...fixedCounts };
    for (const value of filled) tally(value, counts);
    const plain = fixedPlain && filled.every((value) => isPlainText(value));
    if (counts.other >= counts.latin || plain) {
      const text = fill(values, encodeValue);
      if (counts.other >= counts.latin || !hasLongerLines(text, 76)) return text;
    }
    const runs = [fixed[0]!];
    filled.forEach((value, i) => runs.push(encoded(value), fixed[i + 1]!));
    return { raw: head + joinRuns(runs) };
  };
}
