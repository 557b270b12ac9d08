import { z } from "zod";

/** A limit in requests per window; 0 switches that limit off. */
const limit = (fallback: number) => z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 (off) or more").default(fallback);

export const trustEnvSchema = z.object({
  RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: limit(20),
  RATE_LIMIT_SIGN_PER_EMAIL_PER_HOUR: limit(20),
  RATE_LIMIT_LETTER_PER_IP_PER_MINUTE: limit(10),
  RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: limit(20),
  RATE_LIMIT_SIGNIN_PER_EMAIL_PER_HOUR: limit(10),
  RATE_LIMIT_PASSWORD_RESET_PER_HOUR: limit(5),
  RATE_LIMIT_UNSUBSCRIBE_PER_IP_PER_MINUTE: limit(30),
  RATE_LIMIT_PRIVACY_REQUEST_PER_HOUR: limit(5),
  /** Signatures one IP may add to one action in an hour before the rest are held for review. */
  SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: limit(50),
  /** Requests one OSDI API key may make in a minute. */
  RATE_LIMIT_API_PER_KEY_PER_MINUTE: limit(120),
  /** Key for IP fingerprints and limiter keys; SESSION_SECRET when unset. */
  IP_HASH_KEY: z.string().min(16, "must be at least 16 characters").optional().or(z.literal("").transform(() => undefined)),
});

export type TrustEnv = z.infer<typeof trustEnvSchema>;
