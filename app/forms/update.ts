import { z } from "zod";

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;

const text = (max: number) => z.string().trim().max(max, `Use at most ${max.toLocaleString("en")} characters.`).optional();

/**
 * An update's words for a campaign's languages: the first (the campaign's default) is required,
 * another language is optional but needs both a subject and a body once started. `scheduleAt`
 * (UTC) is only read when scheduling, and must lie in the future.
 */
export function updateSchema(languages: string[], intent: string, now = new Date()) {
  const shape: Record<string, z.ZodType> = { scheduleAt: z.string().trim().optional() };
  for (const l of languages) {
    shape[`subject_${l}`] = text(SUBJECT_MAX);
    shape[`body_${l}`] = text(BODY_MAX);
  }
  return z.object(shape).superRefine((raw, ctx) => {
    const v = raw as Record<string, string | undefined>;
    languages.forEach((l, i) => {
      const subject = v[`subject_${l}`];
      const body = v[`body_${l}`];
      if (i > 0 && !subject && !body) return;
      if (!subject) ctx.addIssue({ code: "custom", path: [`subject_${l}`], message: "Enter a subject." });
      if (!body) ctx.addIssue({ code: "custom", path: [`body_${l}`], message: "Write the update." });
    });
    if (intent !== "schedule") return;
    const at = parseUtc(v.scheduleAt);
    if (!at) ctx.addIssue({ code: "custom", path: ["scheduleAt"], message: "Choose a date and time (UTC)." });
    else if (at.getTime() <= now.getTime()) ctx.addIssue({ code: "custom", path: ["scheduleAt"], message: "Choose a time in the future." });
  });
}

/** A `datetime-local` value read as UTC, or null. */
export function parseUtc(value: string | undefined): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const at = new Date(`${value}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The texts a valid submission holds, one per language that has words. */
export function textsOf(value: Record<string, unknown>, languages: string[]) {
  return languages
    .filter((l) => value[`subject_${l}`] && value[`body_${l}`])
    .map((language) => ({ language, subject: String(value[`subject_${language}`]), body: String(value[`body_${language}`]) }));
}
