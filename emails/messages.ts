/** Every string the emails use, in each language; a missing key fails the type check. */
const en = {
  confirmSubject: "Please confirm your signature",
  reminderSubject: "Reminder: your signature is not counted yet",
  confirmPreview: "One click to make your signature count.",
  greeting: (name: string) => `Dear ${name},`,
  confirmIntro: (action: string) => `Thank you for taking action: “${action}”.`,
  confirmAsk: "Your signature only counts once you confirm that this email address is yours.",
  reminderAsk: "We have not yet been able to count your signature. Please confirm that this email address is yours.",
  confirmButton: "Confirm my signature",
  confirmFallback: "If the button does not work, copy this address into your browser:",
  confirmIgnore: "If you did not sign, ignore this email: nothing will be recorded in your name and we will not write again.",
  expires: "The link is valid for 7 days.",
  footer: "Inkwell: letters that reach the people who decide.",
  batchSubjectLetters: (campaign: string, n: number, part: string) => `${n} ${n === 1 ? "letter" : "letters"} from supporters of “${campaign}”${part}`,
  batchSubjectSigners: (campaign: string, n: number, part: string) => `${n} new ${n === 1 ? "signature" : "signatures"}: “${campaign}”${part}`,
  partLabel: (part: number, parts: number) => ` (part ${part} of ${parts})`,
  batchLabel: (seq: number, part: number, parts: number) => `Delivery ${seq}${parts > 1 ? ` · part ${part} of ${parts}` : ""}`,
  dear: (title: string) => `Dear ${title},`,
  batchIntroLetters: (action: string) => `Supporters of the campaign have written to you about “${action}”. Their request:`,
  batchIntroSigners: (action: string) => `Supporters of the campaign have signed the petition “${action}”:`,
  batchCountsLetters: (n: number, total: number) => `This delivery carries ${n} new ${n === 1 ? "letter" : "letters"}; ${total} in all to date.`,
  batchCountsSigners: (n: number, total: number) => `This delivery carries ${n} new ${n === 1 ? "signature" : "signatures"}; ${total} in all to date.`,
  batchFirstLetters: (shown: number) => `The first ${shown} follow. Every one of them is attached as a spreadsheet (CSV) and as a printable PDF, one letter per page.`,
  batchFirstSigners: (shown: number) => `The first ${shown} are listed below. All of them are attached as a spreadsheet (CSV) and as a printable PDF.`,
  batchReply: "Replying to this email reaches the campaign team.",
  batchPrivacy: "Supporters' email addresses are never shared.",
  from: (name: string, country: string, date: string) => `${name} · ${country} · ${date}`,
};

const es: typeof en = {
  confirmSubject: "Confirma tu firma",
  reminderSubject: "Recordatorio: tu firma aún no cuenta",
  confirmPreview: "Un clic para que tu firma cuente.",
  greeting: (name: string) => `Hola, ${name}:`,
  confirmIntro: (action: string) => `Gracias por actuar: «${action}».`,
  confirmAsk: "Tu firma solo cuenta cuando confirmes que esta dirección de correo es tuya.",
  reminderAsk: "Todavía no hemos podido contar tu firma. Confirma que esta dirección de correo es tuya.",
  confirmButton: "Confirmar mi firma",
  confirmFallback: "Si el botón no funciona, copia esta dirección en tu navegador:",
  confirmIgnore: "Si no firmaste, ignora este correo: no se registrará nada a tu nombre y no volveremos a escribirte.",
  expires: "El enlace es válido durante 7 días.",
  footer: "Inkwell: cartas que llegan a quienes deciden.",
  batchSubjectLetters: (campaign: string, n: number, part: string) => `${n} ${n === 1 ? "carta" : "cartas"} de quienes apoyan «${campaign}»${part}`,
  batchSubjectSigners: (campaign: string, n: number, part: string) => `${n} ${n === 1 ? "nueva firma" : "nuevas firmas"}: «${campaign}»${part}`,
  partLabel: (part: number, parts: number) => ` (parte ${part} de ${parts})`,
  batchLabel: (seq: number, part: number, parts: number) => `Entrega ${seq}${parts > 1 ? ` · parte ${part} de ${parts}` : ""}`,
  dear: (title: string) => `Estimado/a ${title}:`,
  batchIntroLetters: (action: string) => `Personas que apoyan la campaña le han escrito sobre «${action}». Lo que piden:`,
  batchIntroSigners: (action: string) => `Personas que apoyan la campaña han firmado la petición «${action}»:`,
  batchCountsLetters: (n: number, total: number) => `Esta entrega contiene ${n} ${n === 1 ? "carta nueva" : "cartas nuevas"}; ${total} en total hasta la fecha.`,
  batchCountsSigners: (n: number, total: number) => `Esta entrega contiene ${n} ${n === 1 ? "firma nueva" : "firmas nuevas"}; ${total} en total hasta la fecha.`,
  batchFirstLetters: (shown: number) => `A continuación, las ${shown} primeras. Todas van adjuntas como hoja de cálculo (CSV) y como PDF imprimible, una carta por página.`,
  batchFirstSigners: (shown: number) => `A continuación, las ${shown} primeras. Todas van adjuntas como hoja de cálculo (CSV) y como PDF imprimible.`,
  batchReply: "Si responde a este correo, su mensaje llegará al equipo de la campaña.",
  batchPrivacy: "Nunca se comparten los correos electrónicos de quienes firman.",
  from: (name: string, country: string, date: string) => `${name} · ${country} · ${date}`,
};

export type EmailMessages = typeof en;
const catalogue: Record<string, EmailMessages> = { en, es };

/** The email strings in `language`, English when it is not one we write in. */
export function emailMessages(language: string): EmailMessages {
  return catalogue[language] ?? en;
}
