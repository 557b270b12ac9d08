import type { StaffAlertKind } from "#db/schema";

/** What an alert is about, as recorded with it (names as they were when it happened). */
export interface AlertFacts {
  campaignId: number;
  kind: StaffAlertKind;
  detail: Record<string, unknown>;
}

export interface AlertText {
  /** One line for a subject or a list. */
  short: string;
  /** The sentence that says what happened. */
  headline: string;
  /** What it means or what to do, if there is more to say. */
  note: string | null;
  /** The workspace page where it can be acted on. */
  path: string;
}

/** The switch on the account page for each kind of alert. */
export const ALERT_KIND_LABELS: Record<StaffAlertKind, string> = {
  batch: "A batch to an official fails, bounces or is reported as unwanted",
  official: "An official's address is flagged after a bounce",
  held: "Signatures held for review reach the campaign's threshold",
  goal: "A campaign or call to action reaches its goal",
  reply: "An official replies",
  webhook: "A webhook endpoint is paused after failing",
};

/** Every kind of alert, in the order the workspace lists them. */
export const ALERT_KIND_ORDER = Object.keys(ALERT_KIND_LABELS) as StaffAlertKind[];

const str = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));
// An endpoint is named by its host: the full address (often holding a token) stays in the workspace.
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "its address";
  }
};
const num = (v: unknown) => (typeof v === "number" ? v : Number(v));

/** Words for an alert, shared by its email, the digest and the workspace notices page (English, like the workspace). */
export function describeAlert({ campaignId, kind, detail: d }: AlertFacts): AlertText {
  const campaign = `“${str(d.campaign)}”`;
  const base = `/admin/campaigns/${campaignId}`;
  const reason = d.reason ? `The receiving server said: ${str(d.reason)}` : null;
  switch (kind) {
    case "batch": {
      const what = { failed: "could not be sent", bounced: "bounced", complained: "was reported as unwanted by the official's mail system" }[str(d.event)] ?? "failed";
      return {
        short: `Batch ${num(d.batch)} to ${str(d.official)} ${what}`,
        headline: `Batch ${num(d.batch)} of ${campaign} to ${str(d.official)} ${what}.`,
        note: reason, path: `${base}/deliveries`,
      };
    }
    case "official":
      return {
        short: `The address of ${str(d.official)} bounced`,
        headline: d.batch
          ? `The address of ${str(d.official)} bounced batch ${num(d.batch)} of ${campaign}; it is flagged in the officials directory.`
          : `The address of ${str(d.official)}, who receives letters from ${campaign}, bounced and is flagged in the officials directory.`,
        note: `${reason ? `${reason} ` : ""}Their letters are held, not lost: correct the official's address and the held batches go out again.`,
        path: `/admin/officials/${num(d.targetId)}`,
      };
    case "held":
      return {
        short: `${num(d.held)} signatures held for review`,
        headline: `${campaign} now holds ${num(d.held)} signatures for review (the alert threshold is ${num(d.threshold)}).`,
        note: "Held signatures are not counted or delivered until someone releases them.", path: `${base}/suspicious`,
      };
    case "goal":
      return d.action
        ? { short: `“${str(d.action)}” reached its goal`, headline: `“${str(d.action)}” of ${campaign} reached its goal of ${num(d.goal).toLocaleString("en")} (${num(d.count).toLocaleString("en")} so far).`, note: null, path: `${base}/actions` }
        : { short: `${campaign} reached its goal`, headline: `${campaign} reached its goal of ${num(d.goal).toLocaleString("en")} (${num(d.count).toLocaleString("en")} so far).`, note: null, path: base };
    case "reply":
      return {
        short: `${str(d.official)} replied`,
        headline: `${str(d.official)} replied to batch ${num(d.batch)} of ${campaign}.`,
        note: "Read it in the reply inbox; you can publish it and send it to the writers from there.", path: `${base}/replies/${num(d.replyId)}`,
      };
    case "webhook":
      return {
        short: "A webhook endpoint was paused",
        headline: `Inkwell stopped sending events of ${campaign} to the endpoint at ${hostOf(str(d.url))} after ${num(d.failures)} failed attempts in a row.`,
        note: "Events are still recorded. Once the endpoint works again, resume it and replay what it missed.", path: `${base}/webhooks`,
      };
  }
}
