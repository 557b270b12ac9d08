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

// Everything else the server's modules and the Remix bundle's copies keep on globalThis (`__inkwell…`:
// the parsed environment, pages, counts, cards, limiters, a cache added tomorrow) goes, but for the
// metrics (the modules hold them), the share cards' font files (read-only bytes) and this file's own copy.
const KEPT = new Set(["__inkwellMetrics", "__inkwellCardFonts", "__inkwellFirstEnv"]);
for (const name of Object.keys(kept)) if (name.startsWith("__inkwell") && !KEPT.has(name)) delete kept[name];
