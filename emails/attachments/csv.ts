import { Readable, pipeline } from "node:stream";
import { stringify } from "csv-stringify";
import { batchFormat, isoDate } from "./format";
import { attachmentLabels } from "./labels";
import type { LetterRow, SignerRow } from "./rows";

// Spreadsheets evaluate a cell starting with one of these as a formula. The full-width forms are
// there because Apple Numbers folds them to their ASCII twins before deciding.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** `value` as a cell no spreadsheet will evaluate: NUL bytes removed, a formula-like start quoted away with `'`. */
export function neutraliseCsvCell(value: string): string {
  const cell = value.replace(/\u0000/g, "");
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Letters as a UTF-8 CSV (with BOM, for Excel): name, country, date, subject, letter. */
export function lettersCsv(rows: AsyncIterable<LetterRow>, language: string): Readable {
  const format = batchFormat(language);
  return csvStream(attachmentLabels(language).lettersCsvHeader, rows, (row) => [
    row.name,
    format.country(row.country),
    isoDate(row.signedAt),
    row.subject,
    row.body,
  ]);
}

/** Petition signers as a UTF-8 CSV (with BOM, for Excel): name, country, date, comment. */
export function signersCsv(rows: AsyncIterable<SignerRow>, language: string): Readable {
  const format = batchFormat(language);
  return csvStream(attachmentLabels(language).signersCsvHeader, rows, (row) => [
    row.name,
    format.country(row.country),
    isoDate(row.signedAt),
    row.comment ?? "",
  ]);
}

// Rows are pulled from `rows` only as the reader consumes the CSV: Readable.from asks for the next
// record when its buffer runs low, and pipeline carries the stringifier's backpressure up to it.
function csvStream<Row>(header: string[], rows: AsyncIterable<Row>, cells: (row: Row) => string[]): Readable {
  async function* records() {
    yield header.map(neutraliseCsvCell);
    for await (const row of rows) yield cells(row).map(neutraliseCsvCell);
  }
  // csv-stringify quotes its own record delimiter (CRLF) but not a bare LF or CR inside a cell.
  const csv = stringify({ bom: true, record_delimiter: "windows", quoted_match: /[\r\n]/ });
  // pipeline destroys `csv` with the error of any stage, so a failing row source reaches the reader.
  return pipeline(Readable.from(records()), csv, () => {});
}
