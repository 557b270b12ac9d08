import { parseArgs } from "node:util";
import { parseEnvOrExit } from "#core/env";
import { z } from "zod";
import { passwordProblem } from "#app/forms/campaigner";
import { closeDb, db } from "#db/client";
import { createCampaigner } from "#db/queries/campaigners";
import { migrateToLatest } from "#db/migrate";
import { seedDemo } from "#db/seed";
import { env as jobsEnv } from "#core/env";
import { closeProducerConnection, workerConnection } from "#core/redis";
import { listWorkers } from "#jobs/heartbeat";
import { env as opsEnv } from "#core/env";
import { deliverAction } from "#services/deliveries";
import { foldCounters, reconcile, sweepSignatures } from "#jobs/maintenance";
import { closeQueues } from "#jobs/queues";

const HELP = `Usage: npm run cli -- <command>

Commands:
  migrate      bring the database to the latest migration (creates it if missing)
  seed         load the demo campaign (idempotent)
  sweep        re-enqueue lost confirmation emails, send due reminders, expire old signatures
  counters     fold waiting confirmations into the counters, then reconcile them
  deliver [--action <slug>] [--wait]
               assemble a batch for every official with new confirmed letters or signatures and
               queue it for the worker; --action limits it to one call to action (campaign/action
               or a unique action slug); --wait waits until the queued batches are sent or failed
  campaigner add --email <e> --name <n> --password <p> [--role admin]
               add a workspace account (role campaigner unless --role admin)
  campaigner list
               list workspace accounts
  workers      list the workers by their heartbeats: live, or stale (silent for three beats:
               crashed, hung or cut off from Redis); exits 1 when no worker is live
  help         show this message
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: {
    action: { type: "string" }, wait: { type: "boolean" },
    email: { type: "string" }, name: { type: "string" }, password: { type: "string" }, role: { type: "string" },
  },
});
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
    case "campaigner":
      return campaigner(positionals[1]);
    case "deliver":
      return deliver(typeof values.action === "string" ? values.action : undefined, values.wait === true);
    case "workers":
      return workers();
    case undefined:
    case "help":
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

async function campaigner(sub: string | undefined): Promise<number> {
  if (sub === "list") {
    const rows = await db().selectFrom("campaigners").select(["id", "email", "name", "role", "disabled_at"]).orderBy("id").execute();
    for (const r of rows) console.log(`${r.id}\t${r.role}\t${r.email}\t${r.name}${r.disabled_at ? "\t(disabled)" : ""}`);
    return 0;
  }
  if (sub !== "add") {
    console.error(`Unknown campaigner command "${sub ?? ""}".\n\n${HELP}`);
    return 2;
  }
  const input = z
    .object({
      email: z.email("--email must be an email address"),
      name: z.string("--name is required").trim().min(1, "--name is required").max(120, "--name is too long"),
      password: z.string("--password is required").superRefine((p, ctx) => {
        const problem = passwordProblem(p);
        if (problem) ctx.addIssue({ code: "custom", message: `--password: ${problem}` });
      }),
      role: z.enum(["admin", "campaigner"], "--role must be admin or campaigner").default("campaigner"),
    })
    .safeParse(values);
  if (!input.success) {
    console.error(input.error.issues.map((i) => i.message).join("\n"));
    return 2;
  }
  const taken = await db().selectFrom("campaigners").select("id").where("email", "=", input.data.email.toLowerCase()).executeTakeFirst();
  if (taken) {
    console.error(`A campaigner with the email ${input.data.email} already exists.`);
    return 2;
  }
  const added = await createCampaigner(db(), input.data);
  console.log(`Added ${added.role} ${added.email} (id ${added.id}).`);
  return 0;
}

async function workers(): Promise<number> {
  const redis = workerConnection(jobsEnv().REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  const all = await listWorkers(redis, jobsEnv().QUEUE_PREFIX, opsEnv().HEARTBEAT_MS).finally(() => redis.disconnect());
  if (all.length === 0) console.log("No worker has written a heartbeat in the last hour.");
  for (const w of all) {
    console.log(`${w.state.padEnd(5)}  ${w.id}  last beat ${Math.round(w.ageMs / 1000)} s ago (${w.lastBeat}), started ${w.startedAt}`);
  }
  return all.some((w) => w.state === "live") ? 0 : 1;
}

async function deliver(actionRef: string | undefined, wait: boolean): Promise<number> {
  let query = db()
    .selectFrom("actions as a")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["a.id", "a.slug", "c.slug as campaign"])
    .where("c.status", "in", ["live", "closed"]);
  if (actionRef) {
    const [first, second] = actionRef.split("/");
    query = second ? query.where("c.slug", "=", first!).where("a.slug", "=", second) : query.where("a.slug", "=", first!);
  }
  const actions = await query.orderBy("a.id").execute();
  if (actionRef && actions.length !== 1) {
    console.error(actions.length ? `"${actionRef}" matches several actions; use campaign/action.` : `No deliverable action "${actionRef}".`);
    return 2;
  }
  const queued: number[] = [];
  for (const a of actions) {
    const result = await deliverAction(db(), a.id, { trigger: "manual" });
    queued.push(...result.batches);
    const held = result.held.length ? `, ${result.held.length} official(s) without an email address: their letters wait` : "";
    console.log(`${a.campaign}/${a.slug}: ${result.batches.length} batch(es) queued${held}`);
  }
  if (!wait || queued.length === 0) return 0;
  for (;;) {
    const rows = await db().selectFrom("deliveries").select(["id", "status", "error"]).where("id", "in", queued).execute();
    if (rows.every((r) => r.status !== "pending")) {
      for (const r of rows) console.log(`batch ${r.id}: ${r.status}${r.error ? ` (${r.error})` : ""}`);
      return rows.some((r) => r.status === "failed") ? 1 : 0;
    }
    await new Promise((r) => setTimeout(r, 500));
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
