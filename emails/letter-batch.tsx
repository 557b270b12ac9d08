import { Hr } from "@react-email/hr";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { LetterRow } from "./attachments";
import { BRAND, EmailLayout, INK, Lines, MUTED } from "./layout";
import { renderEmail } from "./render";
import { gendered } from "#db/plural";
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
  /** How to address the official: 'female', 'male', or null for neutral words. */
  targetGender?: string | null;
  items: number;
  itemsToDate: number;
  part: number;
  parts: number;
  seq: number;
  /** The first items of this part, shown in the body (at most 20). */
  preview: BatchEmailItem[];
}

const text = { fontSize: 15, lineHeight: "22px", color: INK };
const ask = { ...text, borderInlineStart: `4px solid ${BRAND}`, paddingInlineStart: 12, fontStyle: "italic" as const };
const meta = { fontSize: 13, color: MUTED, margin: "0 0 4px" };
const letterSubject = { fontSize: 15, fontWeight: 700, margin: "0 0 6px" };
const letterBody = { ...text, margin: 0 };

/** One batch as an official receives it: the request, the counts, and the first letters or signers. */
export function LetterBatchEmail(p: LetterBatchProps & { subject: string }) {
  const m = emailMessages(p.language);
  const date = new Intl.DateTimeFormat(p.language, { dateStyle: "medium" });
  const countries = new Intl.DisplayNames([p.language], { type: "region" });
  const letters = p.kind === "letter";
  return (
    <EmailLayout lang={p.language} title={p.subject} preview={emailCount(p.language, letters ? m.batchCountsLetters : m.batchCountsSigners, p.items, { total: String(p.itemsToDate) })} footerText={`${m.batchReply} ${m.batchPrivacy}`}>
      <Text style={text}>{gendered(m.dear, p.targetGender, { title: p.targetTitle })}</Text>
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
              <Text style={letterBody}><Lines text={item.body} /></Text>
            </>
          ) : item.comment ? (
            <Text style={letterBody}><Lines text={item.comment} /></Text>
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
  return { subject, ...(await renderEmail(<LetterBatchEmail {...props} subject={subject} />)) };
}
