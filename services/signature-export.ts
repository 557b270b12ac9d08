import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import type { Executor } from "#db/client";
import { signatureExportRows, type SignatureExportFilter } from "#db/queries/signature-export";
import { neutraliseCsvCell } from "#emails/attachments/csv";

export const SIGNATURE_EXPORT_HEADER = [
  "signature_id", "action", "status", "name", "email", "country", "postal_code", "comment",
  "language", "updates_opt_in", "signed_at", "confirmed_at", "held_for_review",
  "source",
];

/**
 * Streams a campaign's signatures as a UTF-8 CSV (with BOM, for Excel) into `out`, at the pace
 * `out` reads, so memory stays flat at any size. Cells a spreadsheet would evaluate are
 * neutralised. Resolves with the number of rows written.
 */
export async function streamSignaturesCsv(
  db: Executor,
  filter: SignatureExportFilter,
  out: NodeJS.WritableStream | Writable,
): Promise<number> {
  let written = 0;
  const rows = signatureExportRows(db, filter);
  async function* records() {
    yield SIGNATURE_EXPORT_HEADER;
    for await (const row of rows) {
      written += 1;
      yield [
        String(row.id), row.action_slug, row.status, row.name, row.email ?? "", row.country,
        row.postal_code ?? "", row.comment ?? "", row.language, row.updates_opt_in ? "yes" : "no",
        row.created_at.toISOString(), row.confirmed_at?.toISOString() ?? "", row.held_at ? "yes" : "no",
        row.source ?? "",
      ].map(neutraliseCsvCell);
    }
  }
  // csv-stringify only quotes its own record delimiter (CRLF); a bare LF in a comment must be quoted too.
  const csv = stringify({ bom: true, record_delimiter: "windows", quoted_match: /[\r\n]/ });
  await pipeline(Readable.from(records()), csv, out);
  return written;
}
