import { z } from "zod";

const days = (fallback: number) => z.coerce.number({ error: "must be a number of days" }).int("must be a whole number of days").min(1, "must be at least 1 day").default(fallback);

export const retentionEnvSchema = z.object({
  /** Days after a campaign closes before its supporters' personal data is anonymised. */
  RETENTION_DAYS_AFTER_CLOSE: days(365),
  /** Days after a letter reached all its officials before its text is scrubbed. */
  LETTER_SCRUB_DAYS_AFTER_DELIVERY: days(90),
});

/** Retention settings from the environment, parsed once. */
export function retentionEnv() {
  return (cached ??= retentionEnvSchema.parse(process.env));
}
let cached: z.infer<typeof retentionEnvSchema> | undefined;
