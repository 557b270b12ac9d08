import { sql } from "kysely";
import type { DB } from "#db/client";
import { createUpdate, scheduleUpdate, type UpdateText } from "#db/queries/updates";
import { DEMO, eventually, type TestPlatform } from "../support/platform";
import type { CapturedMail } from "../support/smtp";

export interface AudienceMember {
  email: string;
  language?: "en" | "es";
  optIn?: boolean;
  status?: "confirmed" | "pending";
  /** Action slugs of the demo campaign signed (default: the petition). */
  actions?: string[];
}

let serial = 0;

/** Ids of the demo campaign and its actions. */
export async function demoCampaign(db: DB) {
  const campaign = await db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
  const actions = await db.selectFrom("actions").select(["id", "slug"]).where("campaign_id", "=", campaign.id).execute();
  return { campaignId: campaign.id, actionId: (slug: string) => actions.find((a) => a.slug === slug)!.id };
}

/** Adds a supporter who signed (and maybe confirmed) demo actions, straight into the database. */
export async function addSupporter(db: DB, m: AudienceMember): Promise<number> {
  const { campaignId, actionId } = await demoCampaign(db);
  const language = m.language ?? "en";
  const { id } = await db.insertInto("supporters").values({ email: m.email.toLowerCase(), language }).returning("id").executeTakeFirstOrThrow();
  for (const slug of m.actions ?? [DEMO.action]) {
    const sig = await db.insertInto("signatures").values({
      action_id: actionId(slug), supporter_id: id, status: m.status ?? "confirmed", name: `Supporter ${++serial}`, country: "PE",
      language, updates_opt_in: m.optIn ?? true, confirmed_at: (m.status ?? "confirmed") === "confirmed" ? new Date() : null, emails_sent: 1,
    }).returning("id").executeTakeFirstOrThrow();
    if (m.optIn ?? true) {
      await db.insertInto("consents").values({
        supporter_id: id, signature_id: sig.id, campaign_id: campaignId, kind: "updates", wording: "Send me updates", language, source: "test",
      }).execute();
    }
  }
  return id;
}

/** Adds `n` confirmed, opted-in supporters in one statement; returns their ids in order. */
export async function addManySupporters(db: DB, n: number, tag: string): Promise<number[]> {
  const { actionId } = await demoCampaign(db);
  const { rows } = await sql<{ id: number }>`
    with s as (
      insert into supporters (email, language)
      select ${tag} || '-' || g || '@example.org', 'en' from generate_series(1, ${n}::int) g
      returning id
    ), sig as (
      insert into signatures (action_id, supporter_id, status, name, country, language, updates_opt_in, confirmed_at, emails_sent)
      select ${actionId(DEMO.action)}, id, 'confirmed', 'Supporter ' || id, 'PE', 'en', true, now(), 1 from s
    ) select id from s order by id
  `.execute(db);
  return rows.map((r) => r.id);
}

/** A draft update for the demo campaign with the given texts (English and Spanish by default). */
export async function draftUpdate(db: DB, texts?: UpdateText[]): Promise<number> {
  const { campaignId } = await demoCampaign(db);
  serial += 1;
  return createUpdate(db, {
    campaignId, createdBy: null,
    texts: texts ?? [
      { language: "en", subject: `News ${serial}: a prisoner is free`, body: `Thanks to **you**, one more innocent prisoner walked free. (update ${serial})` },
      { language: "es", subject: `Novedad ${serial}: un preso queda libre`, body: `Gracias a **ti**, otro preso inocente quedó libre. (novedad ${serial})` },
    ],
  });
}

/** Marks an update due now (as "send now" does). */
export async function markDue(db: DB, updateId: number): Promise<void> {
  if (!(await scheduleUpdate(db, updateId, new Date()))) throw new Error("update not schedulable");
}

/** Waits until an update is sent. */
export async function sentUpdate(p: TestPlatform, updateId: number, timeoutMs = 30_000) {
  return eventually(async () => {
    const u = await p.database.db.selectFrom("updates").selectAll().where("id", "=", updateId).executeTakeFirstOrThrow();
    return u.status === "sent" ? u : null;
  }, timeoutMs, `update ${updateId} to be sent`);
}

/** A header of a captured message as sent (unfolded), or undefined. */
export function rawHeader(mail: CapturedMail, name: string): string | undefined {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  return new RegExp(`^${name}: *(.*)$`, "im").exec(head)?.[1]?.trim();
}

/** The one-click unsubscribe URL of a captured update. */
export function listUnsubscribeUrl(mail: CapturedMail): string {
  const match = /^<(https?:\/\/[^>]+)>$/.exec(rawHeader(mail, "List-Unsubscribe") ?? "");
  if (!match) throw new Error("no List-Unsubscribe URL");
  return match[1]!;
}

/** POSTs like a mail provider doing RFC 8058 one-click: no cookie, no token, a foreign Origin. */
export function oneClick(url: string, body = "List-Unsubscribe=One-Click") {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://mail.provider.example" },
    body,
  });
}
