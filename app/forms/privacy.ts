import { z } from "zod";

/** The "email me a link to my data" form. */
export const privacyRequestSchema = z.object({
  email: z
    .string({ error: "required" })
    .trim()
    .max(254, "tooLong")
    .refine((s) => !/[\u0000-\u001F\u007F-\u009F\uFFFD]/.test(s), "controlChars")
    .pipe(z.email("email")),
});
