import { z } from "zod";

const id = (what: string) => z.coerce.number({ error: `Choose a ${what}.` }).int().positive(`Choose a ${what}.`);

/** The delivery log's two buttons: deliver an action now, or retry a failed batch. */
export const deliveryActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("deliver"), actionId: id("call to action") }),
  z.object({ intent: z.literal("retry"), deliveryId: id("batch") }),
], { error: "Choose what to do." });
