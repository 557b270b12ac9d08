import type { Migration } from "kysely";
import * as foundation from "./2026-11-28T10-00_foundation";
import * as letters from "./2026-11-28T14-00_letters-and-deliveries";

/** Every migration, by name; names sort in the order they apply. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  "2026-11-28T10-00_foundation": foundation,
  "2026-11-28T14-00_letters-and-deliveries": letters,
};
