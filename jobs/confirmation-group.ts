import type { DB } from "#db/client";
import type { ConfirmationDue } from "#db/queries/confirmation-send";

// Group send. Confirmation jobs that run at the same time in one worker process are sent together:
// a group costs a constant number of Postgres round trips however many emails it carries. Each job
// still stands for one email (its id, its retries, its failure); it hands its payload here and
// settles with its own email's outcome. A lone job is sent at once, so a quiet site adds no delay.
// Two groups per process: while one waits on Postgres (tokens, lock, mark, commit) the other keeps
// the SMTP pool busy, and each group is as large as the jobs in flight allow (fewer statements).
// Under load the jobs of a finished group come back from Redis a few at a time, and each trickle
// would start a group of its own: so while one group is out, the next waits until it is as large
// as that one (or GATHER_MS has passed). With few jobs in flight per process (several worker
// processes) groups then stay large enough that their statements are shared.
const MAX_GROUP = 50;
const MAX_SENDING = 2;
const GATHER_MS = 5;

/** What became of one email of a group: its job's result, or the error its job fails with. */
export type ConfirmationOutcome = { result: "sent" | "skipped" } | { error: Error };
type SendGroup = (db: DB, group: ConfirmationDue[]) => Promise<ConfirmationOutcome[]>;

interface Pending {
  payload: ConfirmationDue;
  resolve: (result: "sent" | "skipped") => void;
  reject: (err: unknown) => void;
}

/** The group sender of one database handle: gathers payloads, sends them a group at a time. */
export interface GroupSender {
  send(payload: ConfirmationDue): Promise<"sent" | "skipped">;
}

const senders = new WeakMap<DB, GroupSender>();

/** The process's group sender for `db` (one per handle, so tests with their own databases keep apart). */
export function groupSender(db: DB, sendGroup: SendGroup): GroupSender {
  let sender = senders.get(db);
  if (!sender) senders.set(db, (sender = createGroupSender(db, sendGroup)));
  return sender;
}

function createGroupSender(db: DB, sendGroup: SendGroup): GroupSender {
  const waiting: Pending[] = [];
  // Signatures of a group being sent: a second email of the same signature waits for the next group.
  const busy = new Set<number>();
  let sending = 0;
  let scheduled = false;
  let gathering: NodeJS.Timeout | undefined;
  let gathered = false;

  // Jobs whose payloads arrive in the same turn of the event loop go out together: pumping once
  // the current I/O callbacks have run costs a lone job nothing noticeable.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      pump();
    });
  };

  const take = (): Pending[] => {
    const group: Pending[] = [];
    const ids = new Set<number>();
    for (let i = 0; i < waiting.length && group.length < MAX_GROUP; ) {
      const id = waiting[i]!.payload.signatureId;
      if (busy.has(id) || ids.has(id)) i += 1;
      else {
        ids.add(id);
        group.push(...waiting.splice(i, 1));
      }
    }
    return group;
  };

  // Whether the next group should wait for more jobs: only while another group is out.
  const gather = () => {
    if (sending === 0 || gathered || waiting.length >= Math.min(MAX_GROUP, busy.size)) return false;
    gathering ??= setTimeout(() => {
      gathering = undefined;
      gathered = true;
      pump();
    }, GATHER_MS);
    return true;
  };

  const pump = () => {
    while (sending < MAX_SENDING && waiting.length > 0) {
      if (gather()) return;
      const group = take();
      if (group.length === 0) return;
      gathered = false;
      clearTimeout(gathering);
      gathering = undefined;
      sending += 1;
      for (const p of group) busy.add(p.payload.signatureId);
      void flush(group).finally(() => {
        sending -= 1;
        for (const p of group) busy.delete(p.payload.signatureId);
        pump();
      });
    }
  };

  const flush = async (group: Pending[]) => {
    try {
      const outcomes = await sendGroup(db, group.map((p) => p.payload));
      group.forEach((p, i) => {
        const outcome = outcomes[i]!;
        if ("error" in outcome) p.reject(outcome.error);
        else p.resolve(outcome.result);
      });
    } catch (err) {
      for (const p of group) p.reject(err);
    }
  };

  return {
    send(payload) {
      return new Promise((resolve, reject) => {
        waiting.push({ payload, resolve, reject });
        schedule();
      });
    },
  };
}
