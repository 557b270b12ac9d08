import { CsvError, readCsv } from "#db/csv-read";
import type { OfficialFields } from "#db/queries/officials";
import { IMPORT_COLUMNS, officialSchema } from "../forms/workspace-official";
import { officialFields } from "./officials.server";

const REQUIRED = ["name", "title", "organisation", "country"];
const COLUMN_OF: Record<string, string> = { postalAddress: "postal_address", timeZone: "time_zone" };
export const IMPORT_MAX_ROWS = 5_000;

export interface RowReport {
  /** The row's number in the file, counting the header as row 1. */
  row: number;
  name: string;
  outcome: "imported" | "updated" | "failed";
  reason?: string;
}

export type ImportPlan = { error: string } | { valid: { row: number; fields: OfficialFields }[]; failed: RowReport[] };

/** Reads a CSV of officials and sorts its rows into valid ones and failed ones with the reason; a file that cannot be read at all is an error. */
export function planImport(text: string): ImportPlan {
  let rows: string[][];
  try {
    rows = readCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return { error: `The file is not valid CSV: ${err.message}. Nothing was imported.` };
    throw err;
  }
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  if (!header) return { error: "The file is empty. Nothing was imported." };
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) return { error: `The first row must name the columns; ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing. Nothing was imported.` };
  const unknown = header.filter((h) => h && !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) return { error: `Unknown column ${unknown.join(", ")}: use ${IMPORT_COLUMNS.join(", ")}. Nothing was imported.` };
  if (rows.length - 1 > IMPORT_MAX_ROWS) return { error: `The file has more than ${IMPORT_MAX_ROWS.toLocaleString("en")} rows: split it. Nothing was imported.` };
  const valid: { row: number; fields: OfficialFields }[] = [];
  const failed: RowReport[] = [];
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const get = (c: string) => {
      const at = header.indexOf(c);
      const v = at < 0 ? undefined : cells[at]?.trim();
      return v === "" ? undefined : v;
    };
    const name = get("name") ?? "";
    if (cells.length !== header.length) {
      failed.push({ row, name, outcome: "failed", reason: `has ${cells.length} fields where the header has ${header.length}` });
      return;
    }
    const parsed = officialSchema.safeParse({
      name: get("name"), title: get("title"), organisation: get("organisation"), country: get("country"), email: get("email"),
      postalAddress: get("postal_address"), language: get("language") ?? "en", timeZone: get("time_zone") ?? "UTC",
    });
    if (parsed.success) valid.push({ row, fields: officialFields(parsed.data) });
    else {
      const issue = parsed.error.issues[0]!;
      failed.push({ row, name, outcome: "failed", reason: `${COLUMN_OF[String(issue.path[0])] ?? String(issue.path[0] ?? "row")}: ${issue.message}` });
    }
  });
  return { valid, failed };
}
