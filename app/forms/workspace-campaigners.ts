import { z } from "zod";
import { passwordProblem } from "./campaigner";

const email = z.string({ error: "Enter an email address." }).trim().max(254, "That is too long for an email address.").pipe(z.email("Enter a valid email address."));
const newPassword = z.string().superRefine((p, ctx) => {
  const problem = passwordProblem(p);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An admin adding an account: a temporary password, or none to email a link to choose one. */
export const addCampaignerSchema = z.object({
  email,
  name: z.string({ error: "Enter their name." }).trim().min(1, "Enter their name.").max(120, "Use at most 120 characters."),
  role: z.enum(["campaigner", "admin"], { error: "Choose a role." }),
  password: newPassword.optional(),
});

/** An admin changing an account: its role, or whether it may sign in. */
export const changeCampaignerSchema = z.object({
  campaignerId: z.number({ error: "Choose a campaigner." }).int().positive(),
  role: z.enum(["campaigner", "admin"]).optional(),
  disabled: z.enum(["yes", "no"]).optional(),
});

/** A campaigner changing their own password. */
export const changePasswordSchema = z
  .object({
    current: z.string({ error: "Enter your current password." }).max(200, "That is too long for a password."),
    password: z.string({ error: "Choose a new password." }).pipe(newPassword),
    confirm: z.string({ error: "Type the new password again." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

/** Ending one of your sessions, or all but this one. */
export const revokeSchema = z.object({ session: z.string().regex(/^[0-9a-f]{64}$/, "Choose a session.").optional() });
