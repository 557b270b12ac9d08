import { Hr } from "@react-email/hr";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { render } from "@react-email/render";
import type { LetterRow } from "./attachments";
import { EmailLayout } from "./layout";
import { emailCount, emailMessages } from "./messages";

/** One letter (or signer, with their comment) as the batch email shows it. */
export type BatchEmailItem = LetterRow & { comment: string | null };

export interface LetterBatchProps {
  language: string;
  kind: "letter" | "petition";
  campaignTitle: string;
  actionTitle: string;
  ask: string;
  targetTitle: string;
  items: number;
  itemsToDate: number;
  part: number;
  parts: number;
  seq: number;
  /** The first items of this part, shown in the body (at most 20). */
  preview: BatchEmailItem[];
}

const text = { fontSize: 15, lineHeight: "22px", color: "#1d1d1d" };
const ask = { ...text, borderLeft: "4px solid #8a1c1c", paddingLeft: 12, fontStyle: "italic" as const };
const meta = { fontSize: 13, color: "#555555", margin: "0 0 4px" };
const letterSubject = { fontSize: 15, fontWeight: 700, margin: "0 0 6px" };
const letterBody = { ...text, whiteSpace: "pre-line" as const, margin: 0 };

/** One batch as an official receives it: the request, the counts, and the first letters or signers. */
export function LetterBatchEmail(p: LetterBatchProps) {
  const m = emailMessages(p.language);
  const date = new Intl.DateTimeFormat(p.language, { dateStyle: "medium" });
  const countries = new Intl.DisplayNames([p.language], { type: "region" });
  const letters = p.kind === "letter";
  return (
    <EmailLayout lang={p.language} preview={emailCount(p.language, letters ? m.batchCountsLetters : m.batchCountsSigners, p.items, { total: String(p.itemsToDate) })} footerText={`${m.batchReply} ${m.batchPrivacy}`}>
      <Text style={text}>{m.dear(p.targetTitle)}</Text>
      <Text style={text}>{letters ? m.batchIntroLetters(p.actionTitle) : m.batchIntroSigners(p.actionTitle)}</Text>
      <Text style={ask}>{p.ask}</Text>
      <Text style={text}>
        <strong>{emailCount(p.language, letters ? m.batchCountsLetters : m.batchCountsSigners, p.items, { total: String(p.itemsToDate) })}</strong>{" "}
        {m.batchLabel(p.seq, p.part, p.parts)}.
      </Text>
      <Text style={text}>{letters ? m.batchFirstLetters(p.preview.length) : m.batchFirstSigners(p.preview.length)}</Text>
      {p.preview.map((item, i) => (
        <Section key={i}>
          <Hr />
          <Text style={meta}>{m.from(item.name, countries.of(item.country) ?? item.country, date.format(item.signedAt))}</Text>
          {letters ? (
            <>
              <Text style={letterSubject}>{item.subject}</Text>
              <Text style={letterBody}>{item.body}</Text>
            </>
          ) : item.comment ? (
            <Text style={letterBody}>{item.comment}</Text>
          ) : null}
        </Section>
      ))}
    </EmailLayout>
  );
}

/** Renders a batch email to subject, HTML and plain text. */
export async function renderLetterBatch(props: LetterBatchProps) {
  const m = emailMessages(props.language);
  const part = props.parts > 1 ? m.partLabel(props.part, props.parts) : "";
  const subject =
    props.kind === "letter"
      ? emailCount(props.language, m.batchSubjectLetters, props.items, { campaign: props.campaignTitle, part })
      : emailCount(props.language, m.batchSubjectSigners, props.items, { campaign: props.campaignTitle, part });
  const element = <LetterBatchEmail {...props} />;
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject, html, text: plain };
}
