import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { render } from "@react-email/render";
import { EmailLayout } from "./layout";
import { emailMessages } from "./messages";

const strings = {
  en: {
    subject: "Your data at Inkwell",
    preview: "Download your data or ask us to erase it",
    intro: "Someone — we hope you — asked to see the data Inkwell holds for this email address, or to erase it.",
    ask: "Use the button to download your data or erase it. The link works for 24 hours.",
    button: "See my data",
    fallback: "If the button does not work, copy this address into your browser:",
    ignore: "If you did not ask for this, ignore this email: nothing changes until the link is used.",
  },
  es: {
    subject: "Tus datos en Inkwell",
    preview: "Descarga tus datos o pídenos que los borremos",
    intro: "Alguien —esperamos que tú— pidió ver los datos que Inkwell guarda para esta dirección de correo, o borrarlos.",
    ask: "Usa el botón para descargar tus datos o borrarlos. El enlace funciona durante 24 horas.",
    button: "Ver mis datos",
    fallback: "Si el botón no funciona, copia esta dirección en tu navegador:",
    ignore: "Si no lo pediste, ignora este correo: nada cambia hasta que se use el enlace.",
  },
} as const;

export interface PrivacyLinkProps {
  language: string;
  url: string;
}

const text = { fontSize: 16, lineHeight: "24px", color: "#1d1d1d" };
const button = { backgroundColor: "#8a1c1c", color: "#ffffff", borderRadius: 4, padding: "12px 20px", fontSize: 16, fontWeight: 700 };
const small = { fontSize: 13, lineHeight: "20px", color: "#555555" };

/** The email with a supporter's link to download or erase their data. */
export function PrivacyLinkEmail({ language, url }: PrivacyLinkProps) {
  const s = language === "es" ? strings.es : strings.en;
  return (
    <EmailLayout lang={language} preview={s.preview} footerText={emailMessages(language).footer}>
      <Text style={text}>{s.intro}</Text>
      <Text style={text}>{s.ask}</Text>
      <Button href={url} style={button}>{s.button}</Button>
      <Text style={small}>
        {s.fallback}
        <br />
        <Link href={url}>{url}</Link>
      </Text>
      <Text style={small}>{s.ignore}</Text>
    </EmailLayout>
  );
}

/** Renders the privacy link email to subject, HTML and plain text. */
export async function renderPrivacyLink(props: PrivacyLinkProps) {
  const element = <PrivacyLinkEmail {...props} />;
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: (props.language === "es" ? strings.es : strings.en).subject, html, text: plain };
}
