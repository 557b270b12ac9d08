import { sql } from "kysely";
import type { Executor } from "../client";
import type { ApiScope, CampaignerRole } from "../schema";
import { hashToken, newToken } from "#core/tokens";
import { recordAudit } from "./audit";

/** Every key starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = "inkw_";

/** True for something shaped like a key; anything else is refused before a lookup. */
export function isWellFormedApiKey(value: string): boolean {
  return /^inkw_[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * Creates a key for a campaigner, scoped to `campaignIds` (only those the campaigner may reach are
 * kept), and audits it. Returns the key itself: it is shown once and never stored.
 */
export async function createApiKey(
  trx: Executor,
  campaigner: { id: number; role: CampaignerRole },
  input: { name: string; scopes: ApiScope[]; campaignIds: number[] },
): Promise<{ id: number; key: string; campaignIds: number[] }> {
  const key = API_KEY_PREFIX + newToken();
  const reachable = await reachableCampaigns(trx, campaigner, input.campaignIds);
  if (reachable.length === 0) throw new Error("no campaign the campaigner may reach");
  const { id } = await trx
    .insertInto("api_keys")
    .values({ campaigner_id: campaigner.id, name: input.name, prefix: key.slice(0, API_KEY_PREFIX.length + 6), token_hash: hashToken(key), scopes: input.scopes })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx.insertInto("api_key_campaigns").values(reachable.map((campaign_id) => ({ api_key_id: id, campaign_id }))).execute();
  await recordAudit(trx, { campaignerId: campaigner.id, action: "api_key.create", subjectType: "api_key", subjectId: id, details: { scopes: input.scopes, campaigns: reachable } });
  return { id, key, campaignIds: reachable };
}

/** Of `campaignIds`, those the campaigner owns or shares (all existing ones for an admin). */
export async function reachableCampaigns(db: Executor, campaigner: { id: number; role: CampaignerRole }, campaignIds: number[]): Promise<number[]> {
  if (campaignIds.length === 0) return [];
  let q = db.selectFrom("campaigns as c").select("c.id").where("c.id", "in", campaignIds);
  if (campaigner.role !== "admin") {
    q = q.where((eb) => eb.exists(eb.selectFrom("campaign_members as m").select("m.campaign_id").whereRef("m.campaign_id", "=", "c.id").where("m.campaigner_id", "=", campaigner.id)));
  }
  return (await q.orderBy("c.id").execute()).map((r) => r.id);
}

/** A campaigner's keys, newest first, with the campaigns each reaches (never the secret). */
export async function listApiKeys(db: Executor, campaignerId: number) {
  return db
    .selectFrom("api_keys as k")
    .select(["k.id", "k.name", "k.prefix", "k.scopes", "k.created_at", "k.last_used_at", "k.revoked_at"])
    .select(sql<string[]>`array(select c.slug from api_key_campaigns kc join campaigns c on c.id = kc.campaign_id where kc.api_key_id = k.id order by c.slug)`.as("campaigns"))
    .where("k.campaigner_id", "=", campaignerId)
    .orderBy("k.id", "desc")
    .limit(200)
    .execute();
}

/** Revokes one of the campaigner's own keys; true when a live key was revoked. Audited. */
export async function revokeApiKey(trx: Executor, campaignerId: number, keyId: number): Promise<boolean> {
  const done = await trx
    .updateTable("api_keys")
    .set({ revoked_at: sql`now()` })
    .where("id", "=", keyId)
    .where("campaigner_id", "=", campaignerId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  const revoked = Number(done.numUpdatedRows) > 0;
  if (revoked) await recordAudit(trx, { campaignerId, action: "api_key.revoke", subjectType: "api_key", subjectId: keyId });
  return revoked;
}

export interface ApiCaller {
  keyId: number;
  prefix: string;
  campaignerId: number;
  scopes: ApiScope[];
  /** Campaigns the key is scoped to that its owner can still reach today. */
  campaignIds: number[];
  lastUsedAt: Date | null;
}

/**
 * The live key behind a presented secret, with the campaigns it may reach now: a campaign its owner
 * has since lost (or a disabled owner) is no longer reachable through the key.
 */
export async function findApiCaller(db: Executor, key: string): Promise<ApiCaller | undefined> {
  const row = await db
    .selectFrom("api_keys as k")
    .innerJoin("campaigners as o", "o.id", "k.campaigner_id")
    .select(["k.id", "k.prefix", "k.campaigner_id", "k.scopes", "k.last_used_at", "o.role"])
    .where("k.token_hash", "=", hashToken(key))
    .where("k.revoked_at", "is", null)
    .where("o.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const scoped = await db.selectFrom("api_key_campaigns").select("campaign_id").where("api_key_id", "=", row.id).execute();
  const campaignIds = await reachableCampaigns(db, { id: row.campaigner_id, role: row.role }, scoped.map((r) => r.campaign_id));
  return { keyId: row.id, prefix: row.prefix, campaignerId: row.campaigner_id, scopes: row.scopes, campaignIds, lastUsedAt: row.last_used_at };
}

/** Marks a key used now (callers write at most once a minute per key). */
export async function touchApiKey(db: Executor, keyId: number): Promise<void> {
  await db.updateTable("api_keys").set({ last_used_at: sql`now()` }).where("id", "=", keyId).execute();
}
