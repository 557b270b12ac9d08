import type { Executor } from "../client";
import { letterValues, renderTemplate } from "#core/letter-templates";
import { supporterLetter } from "./letters";

/**
 * The letter a supporter wrote, as its first official will read it, for the confirmation email;
 * undefined for a petition signature (or a letter already erased).
 */
export async function letterForConfirmation(db: Executor, signatureId: number): Promise<{ subject: string; body: string } | undefined> {
  const letter = await supporterLetter(db, signatureId);
  if (!letter) return undefined;
  const target = letter.targets[0] ?? { name: "", title: "", organisation: "" };
  const values = letterValues({
    language: letter.language,
    supporter: { name: letter.name, country: letter.country, postalCode: letter.postalCode },
    target, campaignTitle: letter.campaignTitle, actionTitle: letter.actionTitle,
  });
  return { subject: renderTemplate(letter.subject, values), body: renderTemplate(letter.body, values) };
}
