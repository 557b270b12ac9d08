import { sql } from "kysely";
import type { DB } from "./client";

const BODY = `Estimado/a {{target.title}}:

Le escribo para pedirle que disponga la libertad inmediata e incondicional de todas las personas presas inocentes, que anule sus antecedentes penales y que les otorgue una indemnización justa. Le pido también que dote a la Comisión Especial de Indultos del personal y los recursos necesarios para revisar sin demora todos los casos pendientes, y que cumpla la decisión de la Comisión Interamericana de Derechos Humanos de cerrar los penales de Challapalca y Yanamayo.

Atentamente,
{{supporter.name}}`;

/** Bulk-loads `n` confirmed supporters who each wrote the demo letter to one official (set-based, not row by row). */
export async function loadLetters(db: DB, actionId: number, targetId: number, n: number): Promise<void> {
  await sql`
    insert into supporters (email, language)
    select 'bench-' || g || '@example.org', 'en' from generate_series(1, ${n}::int) g
  `.execute(db);
  await sql`
    insert into signatures (action_id, supporter_id, status, name, country, language, confirmed_at, counted, emails_sent)
    select ${actionId}, s.id, 'confirmed', 'Supporter ' || s.id, (array['GB','PE','ES','FR','DE','US'])[1 + s.id % 6], 'en', now(), true, 1
    from supporters s where s.email like 'bench-%'
  `.execute(db);
  await sql`
    insert into letters (signature_id, subject, body, language)
    select id, 'Libertad para los presos inocentes', ${BODY}, 'es' from signatures where action_id = ${actionId}
  `.execute(db);
  await sql`insert into letter_recipients (signature_id, target_id) select signature_id, ${targetId} from letters`.execute(db);
  await sql`analyze`.execute(db);
}

/**
 * Bulk-loads `n` confirmed (and counted) signatures on an action, each from its own new supporter,
 * then refolds the counters from the rows with the real reconciliation. `tag` keeps addresses apart.
 */
export async function loadSignatures(db: DB, actionId: number, n: number, tag: string): Promise<void> {
  await sql`
    with s as (
      insert into supporters (email, language)
      select ${`${tag}-`} || g || '@example.org', 'en' from generate_series(1, ${n}::int) g
      returning id
    )
    insert into signatures (action_id, supporter_id, status, name, country, language, confirmed_at, counted, emails_sent, updates_opt_in)
    select ${actionId}, s.id, 'confirmed', 'Supporter ' || s.id, (array['GB','PE','ES','FR','DE','US'])[1 + s.id % 6], 'en', now(), true, 1, s.id % 2 = 0
    from s
  `.execute(db);
  await sql`analyze supporters, signatures`.execute(db);
}

/** Bulk-loads `n` pending signatures on an action, as if just signed, and returns their ids. */
export async function loadPendingSignatures(db: DB, actionId: number, n: number, tag: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    with s as (
      insert into supporters (email, language)
      select ${`${tag}-`} || g || '@example.org', 'en' from generate_series(1, ${n}::int) g
      returning id
    )
    insert into signatures (action_id, supporter_id, name, country, language)
    select ${actionId}, s.id, 'Supporter ' || s.id, 'PE', 'en' from s
    returning id
  `.execute(db);
  return rows.map((r) => r.id);
}
