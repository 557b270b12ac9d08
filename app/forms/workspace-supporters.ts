import { z } from "zod";

export const SIGNATURE_STATUSES = ["pending", "confirmed", "expired", "invalidated"] as const;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-28.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "That is not a date.")
  .optional();

const filterFields = {
  q: z.string().trim().max(254, "Search for at most 254 characters.").optional(),
  action: z.coerce.number({ error: "Choose a call to action from the list." }).int().positive("Choose a call to action from the list.").optional(),
  status: z.enum(SIGNATURE_STATUSES, { error: "Choose a status from the list." }).optional(),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "Use a two-letter country code, like PE.").optional(),
  from: day,
  to: day,
};

/** The supporters list's filters (a GET form): search, action, status, country, date range, and the page cursor. */
export const supporterFilterSchema = z
  .object({ ...filterFields, before: z.coerce.number().int().positive("That page does not exist.").optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ["to"], message: "The end date is before the start date." });

export type SupporterFilterValues = z.infer<typeof supporterFilterSchema>;

/**
 * Invalidating signatures: first a review (how many?), then the confirmation with a reason.
 * `scope` is the ticked rows or everything the filter matches; `upTo` pins "everything" to what was reviewed.
 */
export const invalidateSchema = z
  .object({
    ...filterFields,
    intent: z.enum(["review", "invalidate"], { error: "Choose what to do." }),
    scope: z.enum(["selected", "filter"], { error: "Choose which signatures." }),
    ids: z.array(z.coerce.number().int().positive()).max(500, "Tick at most 500 at a time, or invalidate by filter.").default([]),
    upTo: z.coerce.number().int().positive().optional(),
    reason: z.string().trim().max(500, "Keep the reason under 500 characters.").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "selected" && v.ids.length === 0) ctx.addIssue({ code: "custom", path: ["ids"], message: "Tick at least one signature." });
    if (v.intent === "invalidate" && (!v.reason || v.reason.length < 3)) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Give a reason (at least 3 characters): it is kept in the campaign's history." });
    }
    if (v.intent === "invalidate" && v.scope === "filter" && !v.upTo) ctx.addIssue({ code: "custom", path: ["scope"], message: "Review how many match before invalidating." });
  });

type FilterValues = Pick<SupporterFilterValues, "q" | "action" | "status" | "country" | "from" | "to">;

/** Form values as a query filter: dates are whole UTC days, the end day included. */
export function toSupporterFilter(campaignId: number, v: FilterValues) {
  return {
    campaignId,
    actionId: v.action,
    status: v.status,
    country: v.country,
    search: v.q || undefined,
    from: v.from ? new Date(`${v.from}T00:00:00Z`) : undefined,
    to: v.to ? new Date(Date.parse(`${v.to}T00:00:00Z`) + 86_400_000) : undefined,
  };
}

/** The filter's fields as query-string pairs (for links and hidden inputs), empty ones left out. */
export function filterParams(v: FilterValues): [string, string][] {
  const out: [string, string][] = [];
  for (const key of ["q", "action", "status", "country", "from", "to"] as const) {
    const value = v[key];
    if (value !== undefined && value !== "") out.push([key, String(value)]);
  }
  return out;
}
