import { z } from "zod";

/** What is wrong with a new password, or null: length is what counts (NIST SP 800-63B). */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return "Use at least 12 characters.";
  if (password.length > 200) return "Use at most 200 characters.";
  return null;
}

const email = z.string({ error: "Enter your email address." }).trim().max(254, "That is too long for an email address.").pipe(z.email("Enter a valid email address."));

/** The workspace sign-in form. */
export const signInSchema = z.object({
  email,
  password: z.string({ error: "Enter your password." }).max(200, "That is too long for a password."),
  next: z.string().max(500).optional(),
});

/** Asking for a password reset link. */
export const forgotPasswordSchema = z.object({ email });

/** Choosing a new password, typed twice. */
export const newPasswordSchema = z
  .object({
    password: z.string({ error: "Choose a password." }).superRefine((p, ctx) => {
      const problem = passwordProblem(p);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    confirm: z.string({ error: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });
