import type { OsdiActionRow, OsdiPersonRow, OsdiSignatureRow } from "#db/queries/osdi";
import { env } from "#core/env";
import { apiBase, identifier } from "./osdi.server";
import { recordJson, type CampaignRecord } from "./outcomes.server";

const ORIGIN = "Inkwell";

interface Official {
  id: number;
  name: string;
  title: string;
  organisation: string;
}

const target = (t: Official) => ({ identifiers: [identifier("official", t.id)], name: t.name, title: t.title, organization: t.organisation });

/** What a petition and an advocacy campaign share: who they are, when, and where supporters act. */
function actionFields(a: OsdiActionRow) {
  return {
    identifiers: [identifier("action", a.id)],
    origin_system: ORIGIN,
    created_date: a.created_at.toISOString(),
    title: a.title,
    description: a.ask,
    browser_url: `${env().APP_URL}/campaigns/${a.campaign_slug}/${a.slug}`,
  };
}

/** A petition action as an OSDI petition. */
export function petitionResource(a: OsdiActionRow) {
  const self = `${apiBase()}/petitions/${a.id}`;
  return {
    ...actionFields(a),
    petition_text: a.ask,
    total_signatures: Number(a.count),
    "inkwell:campaign": a.campaign_slug,
    "inkwell:status": a.campaign_status,
    "inkwell:goal": a.goal,
    _links: {
      self: { href: self },
      "osdi:signatures": { href: `${self}/signatures` },
      "osdi:record_signature_helper": { href: `${self}/record_signature_helper` },
    },
  };
}

/** A letter action as an OSDI advocacy campaign (email outreach to its officials). */
export function advocacyCampaignResource(a: OsdiActionRow, officials: Official[]) {
  const self = `${apiBase()}/advocacy_campaigns/${a.id}`;
  return {
    ...actionFields(a),
    template: a.letter_body ?? "",
    "inkwell:subject": a.letter_subject ?? "",
    type: "email",
    targets: officials.map(target),
    total_outreaches: Number(a.count),
    "inkwell:campaign": a.campaign_slug,
    "inkwell:status": a.campaign_status,
    "inkwell:goal": a.goal,
    _links: {
      self: { href: self },
      "osdi:outreaches": { href: `${self}/outreaches` },
      "osdi:record_outreach_helper": { href: `${self}/record_outreach_helper` },
    },
  };
}

/** A confirmed signature: when, the comment, and links to its petition and person. */
export function signatureResource(s: OsdiSignatureRow) {
  return {
    identifiers: [identifier("signature", s.id)],
    origin_system: ORIGIN,
    created_date: s.created_at.toISOString(),
    modified_date: (s.confirmed_at ?? s.created_at).toISOString(),
    comments: s.comment ?? undefined,
    _links: {
      self: { href: `${apiBase()}/petitions/${s.action_id}/signatures/${s.id}` },
      "osdi:petition": { href: `${apiBase()}/petitions/${s.action_id}` },
      "osdi:person": { href: `${apiBase()}/people/${s.supporter_id}` },
    },
  };
}

/** A confirmed letter as an OSDI outreach. */
export function outreachResource(s: OsdiSignatureRow, officials: Official[]) {
  return {
    identifiers: [identifier("letter", s.id)],
    origin_system: ORIGIN,
    created_date: s.created_at.toISOString(),
    modified_date: (s.confirmed_at ?? s.created_at).toISOString(),
    type: "email",
    subject: s.subject ?? "",
    message: s.body ?? "",
    targets: officials.map(target),
    _links: {
      self: { href: `${apiBase()}/advocacy_campaigns/${s.action_id}/outreaches/${s.id}` },
      "osdi:advocacy_campaign": { href: `${apiBase()}/advocacy_campaigns/${s.action_id}` },
      "osdi:person": { href: `${apiBase()}/people/${s.supporter_id}` },
    },
  };
}

/** A supporter as an OSDI person. Inkwell keeps one name field: it is sent whole as `given_name`. */
export function personResource(p: OsdiPersonRow) {
  return {
    identifiers: [identifier("person", p.id)],
    origin_system: ORIGIN,
    created_date: p.created_at.toISOString(),
    modified_date: p.modified_at.toISOString(),
    given_name: p.name,
    email_addresses: [{ primary: true, address: p.email }],
    postal_addresses: [{ primary: true, country: p.country, postal_code: p.postal_code ?? undefined }],
    languages_spoken: [p.language],
    _links: { self: { href: `${apiBase()}/people/${p.id}` } },
  };
}

/**
 * A petition or advocacy campaign with what came of it: `inkwell:outcome` (the call to action's own,
 * else the campaign's), the campaign's outcome, the timeline of this action and of the whole campaign,
 * and the officials' responsiveness.
 */
export function withRecord<T extends object>(resource: T, actionSlug: string, record: CampaignRecord) {
  const json = recordJson(record, "en", actionSlug);
  return {
    ...resource,
    "inkwell:outcome": json.action_outcomes.find((o) => o.action === actionSlug) ?? json.outcome,
    "inkwell:campaign_outcome": json.outcome,
    "inkwell:timeline": json.timeline,
    "inkwell:responsiveness": json.responsiveness,
  };
}
