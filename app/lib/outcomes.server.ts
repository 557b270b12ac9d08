import { db as defaultDb, type Executor } from "#db/client";
import { deliveryDays, listOutcomes, listResults } from "#db/queries/outcomes";
import { publishedReplies } from "#db/queries/replies";
import { campaignResponsiveness, FEW_BATCHES, type Figures, type Responsiveness } from "#db/queries/responsiveness";
import type { OutcomeKind, ResultKind } from "#db/schema";
import { messages, type Language } from "../i18n";

/** One line of a campaign's public timeline; dates are yyyy-mm-dd (UTC). */
export type TimelineEntry =
  | { kind: "delivery"; date: string; action: string; official: string; letters: number }
  | { kind: "reply"; date: string; official: string; text: string }
  | { kind: ResultKind; date: string; action: string | null; who: string; what: string; link: string | null }
  | { kind: "outcome"; date: string; action: string | null; outcome: OutcomeKind; summary: string };

export interface PublicOutcome {
  /** The call to action's slug, or null for the whole campaign. */
  action: string | null;
  outcome: OutcomeKind;
  date: string;
  summary: string;
}

export interface CampaignRecord {
  /** The campaign's own outcome, if recorded. */
  outcome: PublicOutcome | null;
  /** Outcomes of single calls to action. */
  actionOutcomes: PublicOutcome[];
  timeline: TimelineEntry[];
  responsiveness: Responsiveness & { fewBatches: number };
}

// On one day: deliveries, then what came back, then the outcome.
const ORDER: Record<TimelineEntry["kind"], number> = { delivery: 0, reply: 1, response: 2, result: 3, outcome: 4 };

/**
 * What a campaign delivered, heard back and achieved, for its public page and the public API:
 * honest deliveries (a bounced batch is not one), published replies, responses, results and outcomes,
 * in the order they happened, and the officials' responsiveness. A fixed number of bounded queries.
 */
export async function campaignRecord(campaignId: number, db: Executor = defaultDb()): Promise<CampaignRecord> {
  const [deliveries, replies, results, outcomes, responsiveness] = await Promise.all([
    deliveryDays(db, campaignId), publishedReplies(db, campaignId), listResults(db, campaignId), listOutcomes(db, campaignId), campaignResponsiveness(db, campaignId),
  ]);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const publicOutcomes: PublicOutcome[] = outcomes.map((o) => ({ action: o.action_slug ?? null, outcome: o.outcome, date: o.decided_on, summary: o.summary }));
  const timeline: TimelineEntry[] = [
    ...deliveries.map((d) => ({ kind: "delivery" as const, date: d.day, action: d.actionSlug, official: d.official, letters: d.letters })),
    ...replies.map((r) => ({ kind: "reply" as const, date: day(r.received_at), official: r.official, text: r.published_text ?? "" })),
    ...results.map((r) => ({ kind: r.kind, date: r.happened_on, action: r.action_slug ?? null, who: r.who, what: r.what, link: r.link })),
    ...publicOutcomes.map((o) => ({ kind: "outcome" as const, ...o })),
  ].sort((a, b) => a.date.localeCompare(b.date) || ORDER[a.kind] - ORDER[b.kind]);
  return {
    outcome: publicOutcomes.find((o) => o.action === null) ?? null,
    actionOutcomes: publicOutcomes.filter((o) => o.action !== null),
    timeline,
    responsiveness: { ...responsiveness, fewBatches: FEW_BATCHES },
  };
}

const figuresJson = (f: Figures) => ({ letters_delivered: f.letters, batches_delivered: f.batches, batches_answered: f.answered, median_days_to_reply: f.medianDays });

/**
 * The record in the public API's shape (snake_case, no internal ids but officials' identifiers), the
 * caveats in `language` beside the figures. `actionSlug` narrows the timeline to one call to action
 * (entries of the whole campaign stay).
 */
export function recordJson(record: CampaignRecord, language: Language, actionSlug?: string) {
  const outcomeJson = (o: PublicOutcome) => ({ action: o.action, outcome: o.outcome, date: o.date, summary: o.summary });
  const timeline = actionSlug === undefined ? record.timeline : record.timeline.filter((e) => !("action" in e) || e.action === null || e.action === actionSlug);
  const r = record.responsiveness;
  return {
    outcome: record.outcome ? outcomeJson(record.outcome) : null,
    action_outcomes: record.actionOutcomes.map(outcomeJson),
    timeline,
    responsiveness: {
      campaign: figuresJson(r.campaign),
      officials: r.officials.map((o) => ({ official_id: o.id, name: o.name, title: o.title, campaign: figuresJson(o.campaign), all_campaigns: figuresJson(o.everywhere) })),
      few_batches: r.fewBatches,
      caveats: messages(language).outcomes.caveats,
    },
  };
}
