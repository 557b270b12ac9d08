import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { Fragment, type ReactNode } from "react";
import { textDirection } from "#core/rules";

/** The brand's ink red: 8.9:1 on white, for links, buttons and the name. */
export const BRAND = "#8a1c1c";
/** Body text and secondary text on the white card (16.7:1 and 7.5:1). */
export const INK = "#1d1d1d";
export const MUTED = "#555555";

// Long words and addresses (a confirmation token is 43 characters without a break) wrap instead
// of widening the email past a phone's screen.
const wrap = { overflowWrap: "anywhere" as const, wordBreak: "break-word" as const };
/** A link in running text: brand colour, underlined so it stands out from the words around it. */
export const link = { color: BRAND, textDecoration: "underline", ...wrap };
/** A call to action drawn as a button (white on brand red, 8.9:1). */
export const button = { backgroundColor: BRAND, color: "#ffffff", borderRadius: 4, padding: "12px 20px", fontSize: 16, fontWeight: 700, textDecoration: "none", maxWidth: "100%", boxSizing: "border-box" as const, ...wrap };

const body = { backgroundColor: "#f4f1ea", fontFamily: "Georgia, 'Times New Roman', serif", margin: 0, padding: "24px 8px", ...wrap };
const card = { backgroundColor: "#ffffff", borderRadius: 6, maxWidth: 560, width: "100%", margin: "0 auto", padding: "32px 20px", boxSizing: "border-box" as const };
const brand = { color: BRAND, fontSize: 20, fontWeight: 700, letterSpacing: "0.04em", margin: "0 0 16px" };
const footer = { color: MUTED, fontSize: 12, lineHeight: "18px" };

/** Text whose line breaks are kept, in the HTML and in the plain-text part alike. */
export function Lines({ text }: { text: string }) {
  return (
    <>
      {text.split("\n").map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  );
}

/** The frame every Inkwell email shares: its title, brand line, card and footer, in the reader's language and direction. */
export function EmailLayout({ lang, title, preview, footerText, children }: { lang: string; title: string; preview: string; footerText: string; children: ReactNode }) {
  const dir = textDirection(lang);
  return (
    <Html lang={lang} dir={dir}>
      <Head>
        <title>{title}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={{ ...body, direction: dir, textAlign: dir === "rtl" ? "right" : "left" }}>
        <Container style={card}>
          <Text style={brand}>Inkwell</Text>
          <Section>{children}</Section>
          <Hr />
          <Text style={footer}>{footerText}</Text>
        </Container>
      </Body>
    </Html>
  );
}
