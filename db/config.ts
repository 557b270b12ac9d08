import { z } from "zod";

export const dbEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .default("postgres://postgres@127.0.0.1:5432/inkwell"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

/** Database settings from the environment, parsed once. */
export function dbEnv() {
  return (cachedDbEnv ??= dbEnvSchema.parse(process.env));
}
let cachedDbEnv: z.infer<typeof dbEnvSchema> | undefined;
