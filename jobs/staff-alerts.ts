import { sql } from "kysely";
import type { z } from "zod";
import type { DB } from "#db/client";
import { env as emailsEnv } from "#core/env";
import { mailDomain, sendMail } from "#emails/mailer";
import { bounceAddress } from "#emails/return-path";
import { renderStaffAlert } from "#emails/staff-alert";
import type { sendStaffAlertJob } from "./definitions";

type Payload = z.infer<typeof sendStaffAlertJob.schema>;

/** The batch (and campaign) an alert is about: a delivery for bounces and complaints, a reply's batch for replies. */
async function alertSubject(db: DB, { kind, subjectId }: Payload) {
  const deliveryId = kind === "reply"
    ? (await db.selectFrom("official_replies").select("delivery_id").where("id", "=", subjectId).executeTakeFirst())?.delivery_id
    : subjectId;
  if (deliveryId === undefined) return undefined;
  return db
    .selectFrom("deliveries as d")
    .innerJoin("actions as a", "a.id", "d.action_id")
    .innerJoin("campaigns as c", "c.id", "a.campaign_id")
    .innerJoin("targets as t", "t.id", "d.target_id")
    .select(["d.id", "d.seq", "c.id as campaign_id", "c.slug", "c.created_by", "t.name", "t.email_bounce_reason"])
    .select((eb) => eb.selectFrom("campaign_translations").select("title").whereRef("campaign_id", "=", "c.id")
      .orderBy(sql`language = c.default_language`, "desc").limit(1).as("title"))
    .where("d.id", "=", deliveryId)
    .executeTakeFirst();
}

/** Emails each owner of the campaign about a bounce, a complaint or a reply; each owner once per alert. */
export async function sendStaffAlert(db: DB, p: Payload): Promise<string> {
  const s = await alertSubject(db, p);
  if (!s) return "skipped";
  const owners = await db
    .selectFrom("campaigners as w")
    .select(["w.id", "w.email", "w.name"])
    .where("w.disabled_at", "is", null)
    .where((eb) => eb.or([
      eb("w.id", "=", s.created_by ?? -1),
      eb.exists(eb.selectFrom("campaign_members as m").select("m.campaigner_id")
        .whereRef("m.campaigner_id", "=", "w.id").where("m.campaign_id", "=", s.campaign_id).where("m.role", "=", "owner")),
    ]))
    .execute();
  const page = p.kind === "reply" ? "replies" : "deliveries";
  for (const o of owners) {
    const mail = await renderStaffAlert({
      name: o.name, kind: p.kind, campaignTitle: s.title ?? s.slug, officialName: s.name, batch: s.seq,
      reason: p.kind === "bounce" ? s.email_bounce_reason : null, url: `${emailsEnv().APP_URL}/admin/campaigns/${s.campaign_id}/${page}`,
    });
    // The Message-ID is fixed per alert and owner, so a retried job re-sends the same message.
    await sendMail({ to: o.email, ...mail, messageId: `<alert.${p.kind}.${p.subjectId}.${o.id}@${mailDomain()}>`, returnPath: bounceAddress("alert", o.id) });
  }
  return owners.length ? "sent" : "no owners";
}
