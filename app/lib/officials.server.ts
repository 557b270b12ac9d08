import type { OfficialFields } from "#db/queries/officials";
import type { OfficialInput } from "../forms/workspace-official";

/** The directory columns a validated official form describes. */
export function officialFields(v: OfficialInput): OfficialFields {
  return {
    name: v.name, title: v.title, organisation: v.organisation, country: v.country, email: v.email ?? null,
    postal_address: v.postalAddress ?? "", language: v.language, time_zone: v.timeZone,
    ...(v.gender ? { gender: v.gender === "neutral" ? null : v.gender } : {}),
  };
}
