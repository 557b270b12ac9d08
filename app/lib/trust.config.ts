import { z } from "zod";

/** A limit in requests per window; 0 switches that limit off. */
const limit = (fallback: number) => z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 (off) or more").default(fallback);

export const trustEnvSchema = z.object({
  RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: limit(20),
  RATE_LIMIT_SIGN_PER_EMAIL_PER_HOUR: limit(20),
  RATE_LIMIT_LETTER_PER_IP_PER_MINUTE: limit(10),
  RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: limit(20),
  /** Failed workspace sign-ins for one address from all IPs together: the backstop against guessing from many IPs. */
  RATE_LIMIT_SIGNIN_PER_EMAIL_PER_HOUR: limit(30),
  /** Failed workspace sign-ins for one address from one IP. */
  RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL_IP_PER_HOUR: limit(5),
  /** Failed workspace sign-ins across the whole site: the backstop against spraying many addresses. */
  RATE_LIMIT_SIGNIN_FAILURES_PER_MINUTE: limit(300),
  RATE_LIMIT_PASSWORD_RESET_PER_HOUR: limit(5),
  RATE_LIMIT_UNSUBSCRIBE_PER_IP_PER_MINUTE: limit(30),
  RATE_LIMIT_PRIVACY_REQUEST_PER_HOUR: limit(5),
  /** Signatures one IP may add to one action in an hour before the rest are held for review. */
  SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: limit(50),
  /** Key for IP fingerprints and limiter keys; SESSION_SECRET when unset. */
  IP_HASH_KEY: z.string().min(16, "must be at least 16 characters").optional().or(z.literal("").transform(() => undefined)),
});

export type TrustEnv = z.infer<typeof trustEnvSchema>;
