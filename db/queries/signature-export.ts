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

// Rows fetched per cursor round trip: big enough to keep Postgres busy, small enough to stay flat.
const CHUNK = 1_000;

/**
 * A campaign's signatures matching `filter`, in signing order, from a server-side cursor: the
 * caller pulls rows at its own pace, so memory stays flat at any size.
 */
export function signatureExportRows(db: Executor, filter: SignatureExportFilter) {
  return exportQuery(db, filter).stream(CHUNK);
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
