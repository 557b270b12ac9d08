import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { neutraliseCsvCell } from "../../emails/attachments/csv";
import { sql } from "kysely";
import type { Executor } from "../client";
import type { SignatureStatus } from "../schema";
import { readSearch } from "./workspace-supporters";

export interface SignatureExportFilter {
  campaignId: number;
  actionId?: number;
  status?: string;
  country?: string;
  /** Signed at or after this moment. */
  from?: Date;
  /** Signed before this moment. */
  to?: Date;
  /** Part of the signer's name or email address, case-insensitive. */
  search?: string;
}

export const SIGNATURE_EXPORT_HEADER = [
  "signature_id", "action", "status", "name", "email", "country", "postal_code", "comment",
  "language", "updates_opt_in", "signed_at", "confirmed_at", "held_for_review",
  "source",
];

// Rows fetched per cursor round trip: big enough to keep Postgres busy, small enough to stay flat.
const CHUNK = 1_000;

/**
 * Streams a campaign's signatures as a UTF-8 CSV (with BOM, for Excel) into `out`, from a
 * server-side cursor and at the pace `out` reads, so memory stays flat at any size. Cells a
 * spreadsheet would evaluate are neutralised. Resolves with the number of rows written.
 */
export async function streamSignaturesCsv(
  db: Executor,
  filter: SignatureExportFilter,
  out: NodeJS.WritableStream | Writable,
): Promise<number> {
  let written = 0;
  const rows = exportQuery(db, filter).stream(CHUNK);
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

function exportQuery(db: Executor, filter: SignatureExportFilter) {
  let query = db
    .selectFrom("signatures as s")
    .innerJoin("actions as a", "a.id", "s.action_id")
    .innerJoin("supporters as p", "p.id", "s.supporter_id")
    .select([
      "s.id", "a.slug as action_slug", "s.status", "s.name", "s.country", "s.postal_code", "s.comment",
      "s.language", "s.updates_opt_in", "s.created_at", "s.confirmed_at", "s.held_at",
      "s.source",
    ])
    // An erased supporter's address is not exported, even if a row still holds it.
    .select((eb) => eb.case().when("p.erased_at", "is", null).then(eb.ref("p.email")).else(null).end().as("email"))
    .where("a.campaign_id", "=", filter.campaignId);
  if (filter.actionId !== undefined) query = query.where("s.action_id", "=", filter.actionId);
  if (filter.status) query = query.where("s.status", "=", filter.status as SignatureStatus);
  if (filter.country) query = query.where("s.country", "=", filter.country.toUpperCase());
  if (filter.from) query = query.where("s.created_at", ">=", filter.from);
  if (filter.to) query = query.where("s.created_at", "<", filter.to);
  const search = readSearch(filter.search);
  if (search && "email" in search) query = query.where("p.email", "=", search.email);
  else if (search) query = query.where(sql`lower(s.name)`, "like", search.namePattern);
  return query.orderBy("s.id");
}
