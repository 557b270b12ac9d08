import { env, type Env } from "#core/env";

/** Webhook settings, read when called (tests set them late). Private addresses are never allowed in production. */
export function webhooksEnv(): Env {
  const values = env();
  if (values.WEBHOOK_ALLOW_PRIVATE_ADDRESSES && values.NODE_ENV === "production") {
    throw new Error("Invalid environment: WEBHOOK_ALLOW_PRIVATE_ADDRESSES must not be set in production");
  }
  return values;
}
