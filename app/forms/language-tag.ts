import { z } from "zod";
import { LANGUAGE_TAG_MAX, canonicalLanguageTag } from "#core/rules";

/** A BCP 47 language tag field, stored in its canonical form: "PT-br" becomes "pt-BR". */
export const languageTag = (label: string) =>
  z
    .string({ error: `Enter ${label} as a language tag, like es, fr, ar or zh-Hans.` })
    .max(LANGUAGE_TAG_MAX + 10, `Use at most ${LANGUAGE_TAG_MAX} characters.`)
    .transform((raw, ctx) => {
      const tag = canonicalLanguageTag(raw);
      if (tag) return tag;
      ctx.addIssue({ code: "custom", message: `Enter ${label} as a language tag, like es, fr, ar or zh-Hans.` });
      return z.NEVER;
    });
