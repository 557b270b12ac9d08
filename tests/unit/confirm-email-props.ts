import type { ConfirmSignatureProps } from "#emails/confirm-signature";

/** A confirmation email's values, for the template tests to vary. */
export const confirmProps: ConfirmSignatureProps = {
  language: "en",
  name: "Ana",
  actionTitle: "Free every innocent prisoner now",
  confirmUrl: "https://inkwell.example/confirm/abcDEF123_-",
  reminder: false,
};
