import type { OutcomeKind } from "#db/schema";
import { emailLanguage, emailMessages } from "./messages";

export interface OutcomeUpdateInput {
  outcome: OutcomeKind;
  /** The campaign's (or the call to action's) title in this language. */
  what: string;
  /** yyyy-mm-dd */
  decidedOn: string;
  /** The campaign team's own words, quoted as written (Markdown, like any update). */
  summary: string;
  pageUrl: string;
}

/** The subject and Markdown body of the update that tells supporters an outcome, in one language. */
export function outcomeUpdateText(language: string, input: OutcomeUpdateInput): { subject: string; body: string } {
  const m = emailMessages(language);
  const label = m.outcomeLabel[input.outcome];
  const date = new Intl.DateTimeFormat(emailLanguage(language), { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${input.decidedOn}T00:00:00Z`));
  // Markdown would read a title's own * or _ as emphasis; the title is text.
  const what = input.what.replace(/[\\`*_[\]<>#]/g, (c) => `\\${c}`);
  return {
    subject: m.outcomeSubject(label, input.what),
    body: [m.outcomeIntro(what), `**${m.outcomeOn(label, date)}**`, input.summary, m.outcomeThanks, `${m.outcomeMore} ${input.pageUrl}`].join("\n\n"),
  };
}
