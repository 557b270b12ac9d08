import { z } from "zod";
import { parseEmbedOriginList } from "#core/embed-origins";

/**
 * The partner sites allowed to frame this campaign's actions, one origin a line. The browser
 * checks the form with loopback http allowed; the server checks again with production's rule.
 */
export const embedsSchema = z.object({
  intent: z.literal("embeds"),
  embedOrigins: z
    .string()
    .max(5000, "Use at most 5,000 characters.")
    .optional()
    .superRefine((value, ctx) => {
      const parsed = parseEmbedOriginList(value ?? "", true);
      if ("problem" in parsed) ctx.addIssue({ code: "custom", message: parsed.problem });
    }),
});
