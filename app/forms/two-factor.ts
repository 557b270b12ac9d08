import { z } from "zod";

/** The second step of sign-in: a code from the authenticator app or a recovery code. */
export const secondStepSchema = z.object({
  code: z
    .string({ error: "Enter the six-digit code from your app, or one of your recovery codes." })
    .trim()
    .max(40, "That is longer than any code. Enter the six digits from your app, or a recovery code."),
});

const appCode = z
  .string({ error: "Enter the six-digit code your app shows now." })
  .transform((s) => s.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the six digits your app shows now."));

/** Confirming the set-up with the first code the app shows. */
export const enableTwoFactorSchema = z.object({ code: appCode });

/** Turning two-step sign-in off, or asking for new recovery codes: a current code proves the app is at hand. */
export const currentCodeSchema = z.object({
  code: z.string({ error: "Enter the code your app shows now, or one of your recovery codes." }).trim().max(40, "That is longer than any code."),
});

/** An admin's choice for the whole workspace. */
export const requireTwoFactorSchema = z.object({ required: z.enum(["on", "off"], { error: "Choose whether two-step sign-in is required." }) });

/** An admin clearing a campaigner's two-step sign-in. */
export const resetTwoFactorSchema = z.object({
  campaigner: z.coerce.number({ error: "Choose an account." }).int("Choose an account.").positive("Choose an account.").max(2_147_483_647, "Choose an account."),
});
