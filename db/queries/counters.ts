import { sql } from "kysely";
import type { DB, Executor } from "../client";
import { recordGoalAlerts } from "./staff-alerts";

// Folding, reconciling and invalidating take this lock, so none of them races another.
const COUNTER_LOCK = 0x1c0_0001;

/** Holds the counters' lock until the transaction ends: take it before changing what a counter counts. */
export async function lockCounters(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${COUNTER_LOCK})`.execute(trx);
}

/**
 * Folds newly confirmed signatures into the per-action counters, up to `limit` at a time.
 * One statement per batch: no per-signature update of a hot row. A goal the fold reaches is
 * recorded as an alert in the same transaction (its id pushed to `alerts`). Returns how many were folded.
 */
export async function foldConfirmations(db: DB, limit = 20_000, alerts: number[] = []): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await lockCounters(trx);
    const result = await sql<{ folded: number; actions: number[] }>`
      with picked as (
        select id, action_id from signatures
        where status = 'confirmed' and not counted and held_at is null
        order by id limit ${limit}
        for update skip locked
      ), marked as (
        update signatures s set counted = true from picked where s.id = picked.id
        returning picked.action_id
      ), grouped as (
        select action_id, count(*)::int8 as n from marked group by action_id
      ), upserted as (
        insert into action_counters (action_id, confirmed, updated_at)
        select action_id, n, now() from grouped
        on conflict (action_id) do update
          set confirmed = action_counters.confirmed + excluded.confirmed, updated_at = now()
        returning 1
      )
      select coalesce(sum(n), 0)::int8 as folded, coalesce(array_agg(action_id), '{}') as actions from grouped, (select count(*) from upserted) u
    `.execute(trx);
    const folded = Number(result.rows[0]?.folded ?? 0);
    if (folded > 0) alerts.push(...(await recordGoalAlerts(trx, result.rows[0]!.actions)));
    return folded;
  });
}

/**
 * Recomputes every action's counter from the signatures themselves, correcting any drift
 * (invalidations, manual fixes). Runs in the worker, never on a request path.
 */
export async function reconcileCounters(db: DB): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await lockCounters(trx);
    const result = await sql`
      insert into action_counters (action_id, confirmed, updated_at)
      select a.id, coalesce(n.n, 0), now()
      from actions a
      left join (
        select action_id, count(*)::int8 as n from signatures
        where status = 'confirmed' and counted and held_at is null group by action_id
      ) n on n.action_id = a.id
      on conflict (action_id) do update set confirmed = excluded.confirmed, updated_at = now()
      where action_counters.confirmed is distinct from excluded.confirmed
    `.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}

