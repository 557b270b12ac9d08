/** A CSV file that cannot be read as rows, with where it went wrong. */
export class CsvError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`);
  }
}

/**
 * Reads CSV text (RFC 4180: comma-separated, fields optionally in double quotes, "" for a quote
 * inside them, CRLF or LF line ends) into rows of fields. A byte-order mark is skipped and blank
 * lines are dropped. Throws CsvError for an unclosed quote or text after a closing quote.
 */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let afterQuote = false;
  let quoteLine = 0;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
    field = "";
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === ",") {
      row.push(field);
      field = "";
      afterQuote = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
      afterQuote = false;
      line++;
    } else if (afterQuote) {
      throw new CsvError("Unexpected text after a closing quote", line);
    } else if (c === '"' && field === "") {
      quoted = true;
      quoteLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvError("A quoted field is never closed", quoteLine);
  if (field !== "" || row.length) endRow();
  return rows;
}
