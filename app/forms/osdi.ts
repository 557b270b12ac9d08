import { z } from "zod";

// The request bodies of the OSDI record helpers. They only check the shape; the values then go
// through the sign form's own schema, so the API accepts exactly what the form accepts.
const shortText = (max: number) => z.string().max(max);

const person = z.object({
  given_name: shortText(100).optional(),
  family_name: shortText(100).optional(),
  email_addresses: z.array(z.object({ address: shortText(254), primary: z.boolean().optional() })).min(1).max(5),
  postal_addresses: z
    .array(z.object({ country: shortText(2).optional(), postal_code: shortText(16).optional(), primary: z.boolean().optional() }))
    .max(5)
    .optional(),
  languages_spoken: z.array(shortText(5)).max(5).optional(),
});

/** POST …/petitions/{id}/record_signature_helper */
export const signatureHelperSchema = z.object({
  person,
  comments: shortText(1000).optional(),
});

/** POST …/advocacy_campaigns/{id}/record_outreach_helper; without subject, message or targets the action's own are used. */
export const outreachHelperSchema = z.object({
  person,
  subject: shortText(1000).optional(),
  message: shortText(20_000).optional(),
  targets: z.array(z.object({ id: z.number().int().positive() })).max(50).optional(),
});

export type HelperPerson = z.infer<typeof person>;
export type SignatureHelperBody = z.infer<typeof signatureHelperSchema>;
export type OutreachHelperBody = z.infer<typeof outreachHelperSchema>;
