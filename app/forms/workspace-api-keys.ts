import { z } from "zod";

const list = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);

/** Creating an API key: a name to recognise it, what it may do, and the campaigns it reaches. */
export const createApiKeySchema = z.object({
  name: z.string({ error: "Give the key a name, like “CRM sync”." }).trim().min(1, "Give the key a name, like “CRM sync”.").max(80, "Use at most 80 characters."),
  scopes: z.preprocess(list, z.array(z.enum(["read", "people", "write"], { error: "Choose among the scopes listed." })).min(1, "Choose at least one scope.").max(3)),
  campaigns: z.preprocess(
    list,
    z.array(z.coerce.number({ error: "Choose among the campaigns listed." }).int("Choose among the campaigns listed.").positive("Choose among the campaigns listed.").max(2_147_483_647)).min(1, "Choose at least one campaign.").max(500),
  ),
});

/** Revoking one key. */
export const revokeApiKeySchema = z.object({ keyId: z.coerce.number().int().positive().max(2_147_483_647) });
