import { execFileSync } from "node:child_process";
import { parseEnvOrExit } from "#core/env";
import { db } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { seedDemo, seedDemoCampaigner } from "#db/seed";
import { isDemoMode } from "#emails/config";
import { startPlatform, stopOnSignals } from "./platform";
import { ensureLocalServices } from "./services";

// `npm run demo`: everything a newcomer needs, from a fresh clone to a running platform. Demo mode
// is switched on here and nowhere else by default; the environment check refuses it in production.
process.env.DEMO_MODE = "1";
// A demo moved to another port keeps its links working: the address follows the port unless set.
if (!process.env.APP_URL && /^\d+$/.test(process.env.PORT ?? "") && process.env.PORT !== "0") process.env.APP_URL = `http://localhost:${process.env.PORT}`;
const env = parseEnvOrExit();
try {
  await ensureLocalServices(env.DATABASE_URL, env.REDIS_URL);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
console.log("Migrating the database…");
await migrateToLatest(env.DATABASE_URL);
const { campaignSlug } = await seedDemo(db());
const demoCampaigner = await seedDemoCampaigner(db());
console.log("Building the app…");
try {
  execFileSync("npx", ["remix", "build"], { stdio: "pipe" });
} catch (err) {
  console.error((err as { stderr?: Buffer }).stderr?.toString() ?? String(err));
  process.exit(1);
}

// Loopback unless HOST says otherwise: the mailbox page shows every email, reset links included.
const platform = await startPlatform({ web: true, worker: true, port: env.PORT, host: env.HOST ?? "127.0.0.1" });
stopOnSignals(platform);

const lines = [
  "",
  "Inkwell is running with the demo campaign.",
  `  Site:          ${env.APP_URL}/`,
  `  Campaign:      ${env.APP_URL}/campaigns/${campaignSlug}`,
  `  Public API:    ${env.APP_URL}/api/campaigns`,
  `  Workspace:     ${env.APP_URL}/admin   (sign in as ${demoCampaigner.email} / ${demoCampaigner.password})`,
];
if (isDemoMode()) lines.push(`  Demo mailbox:  ${env.APP_URL}/dev/mailbox   (every email sent lands here)`);
lines.push("", "Sign a call to action, open the confirmation email in the mailbox, confirm, and watch the count move.", "Press Ctrl+C to stop.", "");
console.log(lines.join("\n"));
