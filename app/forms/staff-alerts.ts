import { z } from "zod";

const KINDS = ["batch", "official", "held", "goal", "reply", "webhook"] as const;

/** A campaigner's alert choices: the kinds they want (unticked ones are off) and how emails come. */
export const alertSettingsSchema = z.object({
  mode: z.enum(["immediate", "digest"], { error: "Choose at once or a daily digest." }),
  kinds: z.array(z.enum(KINDS, { error: "Choose among the listed alerts." })).max(KINDS.length, "Choose among the listed alerts.").optional(),
});

/** Marking one notice read, or all of them. */
export const readNoticeSchema = z.object({
  alert: z.number({ error: "Choose a notice." }).int().positive().max(2_147_483_647).optional(),
});
