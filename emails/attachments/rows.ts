/** One letter as it goes to one official: already rendered for that official, no email address. */
export interface LetterRow {
  name: string;
  country: string;
  signedAt: Date;
  subject: string;
  body: string;
  /** Addressed to this official instead of the heading's (a supporter's own copy to several). */
  target?: BatchHeading["target"];
}

/** One petition signer as officials see them: no email address. */
export interface SignerRow {
  name: string;
  country: string;
  signedAt: Date;
  comment: string | null;
}

/** Who a batch is addressed to and what it is about, printed on every document. */
export interface BatchHeading {
  language: string;
  campaignTitle: string;
  actionTitle: string;
  /** The petition text or what the letters ask for. */
  ask: string;
  target: { name: string; title: string; organisation: string; postalAddress: string };
  /** e.g. "Batch 3 · part 1 of 2". */
  batchLabel: string;
  date: Date;
}
