import type { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCampaigner } from "#db/seed";
import { deliverAction } from "#services/deliveries";
import type { IntakeOutcome } from "#jobs/inbound/intake";
import { startInboundSmtp } from "#jobs/inbound/smtp-listener";
import { signIn, type SignedIn } from "../support/campaigner";
import { letterAction, OFFICIALS, writeAndConfirm } from "../support/letters";
import { DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { offer } from "./reports";

function replyMessage(to: string, o: { messageId: string; bigAttachment?: boolean }) {
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").toString("base64");
  return [
    `From: Ministro de Justicia <${OFFICIALS.justice}>`,
    `To: <${to}>`,
    "Subject: Re: Cartas de apoyo",
    "Date: Wed, 02 Dec 2026 11:00:00 -0500",
    `Message-ID: ${o.messageId}`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="mix"',
    "",
    "--mix",
    'Content-Type: multipart/alternative; boundary="alt"',
    "",
    "--alt",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "The Ministry has received the letters and will review the cases of the prisoners named in them.",
    "",
    "--alt",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<p>The Ministry has received the letters.</p><script>alert("x")</script><img src="https://tracker.example/p.gif">',
    "--alt--",
    "",
    "--mix",
    'Content-Type: image/png; name="statement.png"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="statement.png"',
    "",
    pdf,
    ...(o.bigAttachment ? [
      "--mix",
      'Content-Type: application/octet-stream; name="huge.bin"',
      "Content-Transfer-Encoding: base64",
      'Content-Disposition: attachment; filename="huge.bin"',
      "",
      Buffer.alloc(30_000, 7).toString("base64"),
    ] : []),
    "--mix--",
    "",
  ].join("\r\n");
}

describe("replies from officials", () => {
  let p: TestPlatform;
  let inbound: SMTPServer;
  let port: number;
  let owner: SignedIn;
  const taken: IntakeOutcome[] = [];
  const db = () => p.database.db;

  beforeAll(async () => {
    process.env.BOUNCE_DOMAIN = "inkwell.test";
    process.env.REPLY_ATTACHMENT_MAX_BYTES = "20000";
    p = await startTestPlatform();
    const account = await seedDemoCampaigner(db());
    owner = await signIn(p.url, account);
    inbound = await startInboundSmtp(db(), { port: 0, host: "127.0.0.1", maxBytes: 200_000, onTaken: (o) => taken.push(o) });
    port = (inbound.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => (inbound ? inbound.close(() => r()) : r()));
    await p?.stop();
  });

  it("matches a reply to its batch, shows it as text, and publishes and sends it exactly once", async () => {
    const ids = await letterAction(p);
    const writer = await writeAndConfirm(p, [ids.justice], { updates: "on" });
    // Same campaign, also asked for updates, but their letter is not in the batch the official answers.
    const elsewhere = await writeAndConfirm(p, [ids.pardons], { updates: "on" });
    // In the batch, but did not ask for updates.
    const quiet = await writeAndConfirm(p, [ids.justice]);
    const { batches } = await deliverAction(db(), ids.actionId, { trigger: "manual", targetIds: [ids.justice] });
    const batch = await eventually(async () => p.smtp.messages.find((m) => m.to.includes(OFFICIALS.justice)), 20_000, "batch");
    const replyTo = batch.parsed.replyTo!.value[0]!.address!;

    await offer(port, replyTo, replyMessage(replyTo, { messageId: "<r1@minjus-pe.example>", bigAttachment: true }), OFFICIALS.justice);
    await offer(port, replyTo, replyMessage(replyTo, { messageId: "<r1@minjus-pe.example>" }), OFFICIALS.justice);
    await eventually(async () => taken.length >= 2 && taken, 10_000, "replies taken");
    expect(taken[0]).toMatchObject({ outcome: "reply" });
    expect(taken[1]).toEqual({ outcome: "reply", replyId: null }); // the same message again is kept once
    const replies = await db().selectFrom("official_replies").selectAll().execute();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ delivery_id: batches[0], target_id: ids.justice, from_address: OFFICIALS.justice });
    const files = await db().selectFrom("reply_attachments").select(["filename", "content_type"]).execute();
    expect(files).toEqual([{ filename: "statement.png", content_type: "application/pdf" }]); // typed by content; the big one not kept
    await eventually(async () => p.smtp.messages.find((m) => /^\[Inkwell\] .* replied$/.test(m.subject)), 15_000, "owner alert");

    const campaign = await db().selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    const inbox = await (await owner.fetch(`/admin/campaigns/${campaign.id}/replies`)).text();
    expect(inbox).toContain("Re: Cartas de apoyo");
    const page = await (await owner.fetch(`/admin/campaigns/${campaign.id}/replies/${replies[0]!.id}`)).text();
    expect(page).toContain("will review the cases");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("tracker.example");

    // Bad input: a clear 400, nothing published.
    const empty = await owner.post(`/admin/campaigns/${campaign.id}/replies/${replies[0]!.id}`, { subject: "", text: "" });
    expect(empty.status).toBe(400);
    expect(await db().selectFrom("updates").select("id").execute()).toHaveLength(0);

    const fields = { subject: "The Ministry answered", text: "The Ministry says it will review the cases." };
    const [a, b] = await Promise.all([
      owner.post(`/admin/campaigns/${campaign.id}/replies/${replies[0]!.id}`, fields),
      owner.post(`/admin/campaigns/${campaign.id}/replies/${replies[0]!.id}`, fields),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const updates = await db().selectFrom("updates").select(["id", "status"]).execute();
    expect(updates).toHaveLength(1);
    const news = await eventually(async () => p.smtp.to(writer.email).find((m) => m.subject.includes("The Ministry answered")), 30_000, "update to the writer");
    expect(news.text).toContain("will review the cases");
    const publicPage = await (await fetch(`${p.url}/campaigns/${DEMO.campaign}`, { headers: { "Accept-Language": "en" } })).text();
    expect(publicPage).toContain("The Ministry says it will review the cases.");
    // Only the writers of the letters in the answered batch who asked for updates: the ledger is the whole audience.
    const update = await eventually(async () => {
      const row = await db().selectFrom("updates").select(["status", "audience_size", "audience_delivery_id"]).where("id", "=", updates[0]!.id).executeTakeFirst();
      return row?.status === "sent" && row;
    }, 30_000, "reply update sent");
    expect(update).toMatchObject({ audience_size: 1, audience_delivery_id: batches[0] });
    expect(p.smtp.to(writer.email).filter((m) => m.subject.includes("The Ministry answered"))).toHaveLength(1);
    expect(p.smtp.to(elsewhere.email).filter((m) => m.subject.includes("The Ministry answered"))).toHaveLength(0);
    expect(p.smtp.to(quiet.email).filter((m) => m.subject.includes("The Ministry answered"))).toHaveLength(0);
  });

  it("parks a reply to a batch that does not exist", async () => {
    const { replyAddress } = await import("#emails/return-path");
    const to = replyAddress(999_999);
    const n = taken.length;
    await offer(port, to, replyMessage(to, { messageId: "<r2@minjus-pe.example>" }), OFFICIALS.justice);
    const outcome = await eventually(async () => taken[n], 10_000, "taken");
    expect(outcome).toEqual({ outcome: "parked", reason: "reply to batch 999999, which does not exist" });
  });
});
