import { z } from "zod";
import { LANGUAGES, optionalText, slug, wholeNumber } from "./workspace-common";

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 500;
export const STORY_MAX = 20_000;

const imageUrl = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === "https:" && url.hostname.includes(".");
    } catch {
      return false;
    }
  }, "Enter an image address that starts with https://.")
  .optional();

/** A campaign's content: slug, goal, image, default language and each language's words. */
export const campaignSchema = z
  .object({
    slug,
    goal: wholeNumber("the goal", 1, 100_000_000),
    imageUrl,
    defaultLanguage: z.enum(LANGUAGES, { error: "Choose English, French, Spanish or Arabic." }),
    title_en: optionalText(TITLE_MAX),
    summary_en: optionalText(SUMMARY_MAX),
    story_en: optionalText(STORY_MAX),
    title_es: optionalText(TITLE_MAX),
    summary_es: optionalText(SUMMARY_MAX),
    story_es: optionalText(STORY_MAX),
    title_fr: optionalText(TITLE_MAX),
    summary_fr: optionalText(SUMMARY_MAX),
    story_fr: optionalText(STORY_MAX),
    title_ar: optionalText(TITLE_MAX),
    summary_ar: optionalText(SUMMARY_MAX),
    story_ar: optionalText(STORY_MAX),
  })
  .superRefine((v, ctx) => {
    for (const language of LANGUAGES) {
      const started = Boolean(v[`title_${language}`] || v[`summary_${language}`] || v[`story_${language}`]);
      if (language !== v.defaultLanguage && !started) continue;
      if (!v[`title_${language}`]) ctx.addIssue({ code: "custom", path: [`title_${language}`], message: "Enter a title in this language." });
      if (!v[`summary_${language}`]) ctx.addIssue({ code: "custom", path: [`summary_${language}`], message: "Enter a summary in this language." });
    }
  });
export type CampaignInput = z.infer<typeof campaignSchema>;

/** The languages a campaign input has words for, default language first. */
export function inputLanguages(input: CampaignInput) {
  return LANGUAGES.filter((l) => input[`title_${l}`]).map((language) => ({
    language,
    title: input[`title_${language}`]!,
    summary: input[`summary_${language}`] ?? "",
    story: input[`story_${language}`] ?? "",
  }));
}

/** Moving a campaign along its lifecycle. */
export const statusSchema = z.object({ to: z.enum(["live", "closed", "archived"], { error: "Choose what should happen to the campaign." }) });

/** Copying a campaign under a new address. */
export const duplicateSchema = z.object({ slug });

/** Sharing a campaign with another campaigner, by their email. */
export const shareSchema = z.object({
  email: z.string({ error: "Enter the campaigner's email address." }).trim().max(254, "That is too long for an email address.").pipe(z.email("Enter a valid email address.")),
});

/** Taking a campaigner off a campaign. */
export const unshareSchema = z.object({ campaignerId: z.number({ error: "Choose a campaigner." }).int().positive() });
