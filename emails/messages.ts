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
};

export type EmailMessages = typeof en;
const catalogue: Record<string, EmailMessages> = { en, es };

/** The email strings in `language`, English when it is not one we write in. */
export function emailMessages(language: string): EmailMessages {
  return catalogue[language] ?? en;
}
