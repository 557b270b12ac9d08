import { parseArgs } from "node:util";
import { parseEnvOrExit } from "../app/env.server";
import { closeDb, db } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { seedDemo } from "../db/seed";
import { closeProducerConnection } from "../jobs/connection";
import { foldCounters, reconcile, sweepSignatures } from "../jobs/maintenance";
import { closeQueues } from "../jobs/queues";

const HELP = `Usage: npm run cli -- <command>

Commands:
  migrate      bring the database to the latest migration (creates it if missing)
  seed         load the demo campaign (idempotent)
  sweep        re-enqueue lost confirmation emails, send due reminders, expire old signatures
  counters     fold waiting confirmations into the counters, then reconcile them
  help         show this message
`;

const { positionals } = parseArgs({ allowPositionals: true, strict: false });
const [command] = positionals;
const env = parseEnvOrExit();

async function run(): Promise<number> {
  switch (command) {
    case "migrate": {
      const applied = await migrateToLatest(env.DATABASE_URL);
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
      return 0;
    }
    case "seed":
      console.log(`Seeded ${(await seedDemo(db())).campaignSlug}.`);
      return 0;
    case "sweep":
      console.log(await sweepSignatures(db()));
      return 0;
    case "counters":
      console.log({ folded: await foldCounters(db()), corrected: await reconcile(db()) });
      return 0;
    case undefined:
    case "help":
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

const code = await run().catch((err: Error) => {
  console.error(err.message);
  return 1;
});
await closeQueues();
await closeProducerConnection();
await closeDb();
process.exit(code);
