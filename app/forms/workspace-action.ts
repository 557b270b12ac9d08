import { z } from "zod";
import { LETTER_BODY_MAX, LETTER_SUBJECT_MAX, unknownPlaceholders } from "#core/letter-templates";
import { LANGUAGES, optionalText, slug, wholeNumber } from "./workspace-common";

const template = (max: number) =>
  optionalText(max).superRefine((v, ctx) => {
    const unknown = v ? unknownPlaceholders(v) : [];
    if (unknown.length) ctx.addIssue({ code: "custom", message: `Inkwell does not know ${unknown.map((u) => `{{${u}}}`).join(", ")}. Use only the placeholders listed.` });
  });

/** A call to action: kind, address, goal, words per language, letter templates, officials, delivery schedule. */
export const actionSchema = z
  .object({
    kind: z.enum(["petition", "letter"], { error: "Choose petition or letter." }),
    slug,
    goal: wholeNumber("the goal", 1, 100_000_000),
    letterEditable: z.boolean().default(false),
    targetIds: z.array(z.number().int().positive()).max(100, "Choose at most 100 officials.").default([]),
    deliveryMode: z.enum(["interval", "daily", "threshold", "manual"], { error: "Choose how letters are delivered." }),
    deliveryEveryHours: wholeNumber("the hours", 1, 720).default(24),
    deliveryLocalHour: wholeNumber("the hour", 0, 23).default(9),
    deliveryThreshold: wholeNumber("the threshold", 1, 1_000_000).default(100),
    title_en: optionalText(200),
    ask_en: optionalText(5000),
    subject_en: template(LETTER_SUBJECT_MAX),
    body_en: template(LETTER_BODY_MAX),
    title_es: optionalText(200),
    ask_es: optionalText(5000),
    subject_es: template(LETTER_SUBJECT_MAX),
    body_es: template(LETTER_BODY_MAX),
    title_fr: optionalText(200),
    ask_fr: optionalText(5000),
    subject_fr: template(LETTER_SUBJECT_MAX),
    body_fr: template(LETTER_BODY_MAX),
    title_ar: optionalText(200),
    ask_ar: optionalText(5000),
    subject_ar: template(LETTER_SUBJECT_MAX),
    body_ar: template(LETTER_BODY_MAX),
  })
  .superRefine((v, ctx) => {
    const written = LANGUAGES.filter((l) => v[`title_${l}`] || v[`ask_${l}`] || v[`subject_${l}`] || v[`body_${l}`]);
    if (written.length === 0) ctx.addIssue({ code: "custom", path: ["title_en"], message: "Give the call to action a title in at least one language." });
    for (const l of written) {
      if (!v[`title_${l}`]) ctx.addIssue({ code: "custom", path: [`title_${l}`], message: "Enter a title in this language." });
      if (!v[`ask_${l}`]) ctx.addIssue({ code: "custom", path: [`ask_${l}`], message: "Say what you ask supporters to do, in this language." });
      if (v.kind === "letter" && !v[`subject_${l}`]) ctx.addIssue({ code: "custom", path: [`subject_${l}`], message: "Write the letter's subject in this language." });
      if (v.kind === "letter" && !v[`body_${l}`]) ctx.addIssue({ code: "custom", path: [`body_${l}`], message: "Write the letter in this language." });
    }
    if (v.kind === "letter" && v.targetIds.length === 0) ctx.addIssue({ code: "custom", path: ["targetIds"], message: "Choose at least one official to receive the letters." });
  });
export type ActionInput = z.infer<typeof actionSchema>;

/** The languages an action input has words for. */
export function actionLanguages(input: ActionInput) {
  return LANGUAGES.filter((l) => input[`title_${l}`]).map((language) => ({
    language,
    title: input[`title_${language}`]!,
    ask: input[`ask_${language}`] ?? "",
    letter_subject: input.kind === "letter" ? (input[`subject_${language}`] ?? null) : null,
    letter_body: input.kind === "letter" ? (input[`body_${language}`] ?? null) : null,
  }));
}

/** Moving an action up or down the list. */
export const moveSchema = z.object({ actionId: z.number().int().positive(), direction: z.enum(["up", "down"]) });

/** Previewing a letter for one official in one language. */
export const letterPreviewSchema = z.object({ targetId: z.number().int().positive(), language: z.enum(LANGUAGES) });
