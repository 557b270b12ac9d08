// The integration lane runs many test files in one process (isolate: false, see
// docs/decisions/shared-test-processes.md). Before each file, the process is put back as a new
// one would be: the environment it began with (files set limits, intervals and switches for the
// platform they start), no connection or queue left open by the file before, no cached page,
// count, card or limit. Metrics keep counting (a new process would start them at zero, and its
// zero-valued series with them): the tests read them as differences.
import { closeProducerConnection } from "#core/redis";
import { closeDb } from "#db/client";
import { closeMailer } from "#emails/mailer";
import { closeQueues } from "#jobs/queues";

const kept = globalThis as { __inkwellFirstEnv?: Record<string, string | undefined> } & Record<string, unknown>;
const first = (kept.__inkwellFirstEnv ??= { ...process.env });
// Vitest names the worker and the file in VITEST_* variables of its own: those are left as they are.
const ours = (name: string) => !name.startsWith("VITEST");
for (const name of Object.keys(process.env)) if (ours(name) && !(name in first)) delete process.env[name];
for (const [name, value] of Object.entries(first)) if (ours(name)) process.env[name] = value;

// Platform.stop() closes these; a file that never started a platform may still have opened them.
await closeQueues();
await closeProducerConnection();
closeMailer();
await closeDb();

// Process-wide caches, shared through globalThis by the server's modules and the Remix bundle's copies.
for (const name of ["__inkwellEnv", "__inkwellEnvFrozen", "__inkwellPublicCache", "__inkwellPublicCacheMs", "__inkwellPageCache", "__inkwellCards", "__inkwellLimits", "__inkwellQueueSource"]) {
  delete kept[name];
}
