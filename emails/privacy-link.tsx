import { Button } from "@react-email/button";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import { EmailLayout, INK, MUTED, button, link } from "./layout";
import { renderEmail } from "./render";
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
  fr: {
    subject: "Vos données chez Inkwell",
    preview: "Téléchargez vos données ou demandez-nous de les effacer",
    intro: "Quelqu’un — vous, nous l’espérons — a demandé à voir les données qu’Inkwell conserve pour cette adresse e-mail, ou à les faire effacer.",
    ask: "Le bouton vous permet de télécharger vos données ou de les effacer. Le lien reste valable 24 heures.",
    button: "Voir mes données",
    fallback: "Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :",
    ignore: "Si vous n’avez rien demandé, ignorez cet e-mail : rien ne change tant que le lien n’est pas utilisé.",
  },
  ar: {
    subject: "بياناتك لدى Inkwell",
    preview: "نزّل بياناتك أو اطلب منا محوها",
    intro: "طلب أحدهم — ونأمل أن تكون أنت — الاطلاع على البيانات التي يحتفظ بها Inkwell لعنوان البريد هذا، أو محوها.",
    ask: "استخدم الزر لتنزيل بياناتك أو محوها. يبقى الرابط صالحًا مدة 24 ساعة.",
    button: "اطّلع على بياناتي",
    fallback: "إذا لم يعمل الزر، فانسخ هذا العنوان والصقه في متصفحك:",
    ignore: "إذا لم تطلب ذلك، فتجاهل هذه الرسالة: لن يتغير شيء ما لم يُستخدم الرابط.",
  },
} as const;

function stringsFor(language: string) {
  const base = language.split("-")[0]!.toLowerCase();
  return base === "es" || base === "fr" || base === "ar" ? strings[base] : strings.en;
}

export interface PrivacyLinkProps {
  language: string;
  url: string;
}

const text = { fontSize: 16, lineHeight: "24px", color: INK };
const small = { fontSize: 13, lineHeight: "20px", color: MUTED };

/** The email with a supporter's link to download or erase their data. */
export function PrivacyLinkEmail({ language, url }: PrivacyLinkProps) {
  const s = stringsFor(language);
  return (
    <EmailLayout lang={language} title={s.subject} preview={s.preview} footerText={emailMessages(language).footer}>
      <Text style={text}>{s.intro}</Text>
      <Text style={text}>{s.ask}</Text>
      <Button href={url} style={button}>{s.button}</Button>
      <Text style={small}>
        {s.fallback}
        <br />
        <Link href={url} style={link}>{url}</Link>
      </Text>
      <Text style={small}>{s.ignore}</Text>
    </EmailLayout>
  );
}

/** Renders the privacy link email to subject, HTML and plain text. */
export async function renderPrivacyLink(props: PrivacyLinkProps) {
  return { subject: stringsFor(props.language).subject, ...(await renderEmail(<PrivacyLinkEmail {...props} />)) };
}
