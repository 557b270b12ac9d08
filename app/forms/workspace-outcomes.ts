import { z } from "zod";
import { OUTCOME_KINDS, RESULT_KINDS } from "#db/queries/outcomes";

const MAX_ID = 2_147_483_647;

/** A calendar date written yyyy-mm-dd, from 1990 to tomorrow (a date line away from anyone's today). */
const pastDate = (label: string) =>
  z.string({ error: `Enter the date ${label}.` }).trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the date ${label} as yyyy-mm-dd.`)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
    }, "That date does not exist.")
    .refine((v) => v >= "1990-01-01" && new Date(`${v}T00:00:00Z`).getTime() <= Date.now() + 86_400_000, "Use a date between 1990 and today.");

/** The whole campaign (empty) or one of its calls to action, by id; the route checks it is this campaign's. */
const scope = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.coerce.number({ error: "Choose the campaign or one of its calls to action." }).int("Choose the campaign or one of its calls to action.")
    .positive("Choose the campaign or one of its calls to action.").max(MAX_ID, "Choose the campaign or one of its calls to action.").nullable(),
);

/** An https link to a statement, a document or an article; nothing else is ever made a link. */
const link = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.string().trim().max(2_000, "Use a link of at most 2,000 characters.")
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === "https:" && !u.username && !u.password && u.hostname.includes(".");
      } catch {
        return false;
      }
    }, "Enter a full https:// link, like https://www.example.org/statement.pdf.")
    .optional(),
);

/** A response (what someone with power said) or a result (what changed), for the public timeline. */
export const resultSchema = z.object({
  action: scope,
  kind: z.enum(RESULT_KINDS, { error: "Choose a response or a result." }),
  happenedOn: pastDate("it happened"),
  who: z.string({ error: "Say who responded or acted." }).trim().min(1, "Say who responded or acted.").max(200, "Use at most 200 characters."),
  what: z.string({ error: "Say what they said or did." }).trim().min(1, "Say what they said or did.").max(4_000, "Use at most 4,000 characters."),
  link,
});

/** How the campaign, or one call to action, ended. */
export const outcomeSchema = z.object({
  action: scope,
  outcome: z.enum(OUTCOME_KINDS, { error: "Choose won, partly won, no change or closed." }),
  decidedOn: pastDate("of the outcome"),
  summary: z.string({ error: "Say in a few lines what happened." }).trim().min(1, "Say in a few lines what happened.").max(4_000, "Use at most 4,000 characters."),
});

/** Taking a response or result off the timeline. */
export const removeResultSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
