import { z } from "zod";
import { WEBHOOK_EVENTS } from "#db/queries/webhooks";

const list = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);

/** Adding an endpoint: its address (checked for HTTPS and a public host by the route) and its events. */
export const addWebhookSchema = z.object({
  url: z.string({ error: "Enter the endpoint's address, like https://crm.example.org/hooks/inkwell." }).trim().min(1, "Enter the endpoint's address.").max(500, "Use at most 500 characters."),
  events: z.preprocess(list, z.array(z.enum(WEBHOOK_EVENTS, { error: "Choose among the events listed." })).min(1, "Choose at least one event.").max(WEBHOOK_EVENTS.length)),
});

/** Pausing, resuming or removing an endpoint, or replaying one delivery. */
export const changeWebhookSchema = z.object({
  change: z.enum(["pause", "resume", "delete", "replay"]),
  id: z.coerce.number().int().positive().max(2_147_483_647),
});
