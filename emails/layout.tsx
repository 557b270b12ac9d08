import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { ReactNode } from "react";
import { textDirection } from "#core/rules";

const body = { backgroundColor: "#f4f1ea", fontFamily: "Georgia, 'Times New Roman', serif", margin: 0, padding: "24px 0" };
const card = { backgroundColor: "#ffffff", borderRadius: 6, maxWidth: 560, margin: "0 auto", padding: "32px 28px" };
const brand = { color: "#8a1c1c", fontSize: 20, fontWeight: 700, letterSpacing: "0.04em", margin: "0 0 16px" };
const footer = { color: "#6b6b6b", fontSize: 12, lineHeight: "18px" };

/** The frame every Inkwell email shares: brand line, card, footer. */
export function EmailLayout({ lang, preview, footerText, children }: { lang: string; preview: string; footerText: string; children: ReactNode }) {
  return (
    <Html lang={lang} dir={textDirection(lang)}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ ...body, direction: textDirection(lang), textAlign: textDirection(lang) === "rtl" ? "right" : "left" }}>
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
