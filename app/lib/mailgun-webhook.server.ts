import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { db } from "#db/client";
import { parkInbound } from "#db/queries/mail-events";
import { scrubReason } from "#emails/inbound/report";
import { env as inboundEnv } from "#core/env";
import { parseInboundAddress } from "#emails/return-path";
import { applyReport } from "#services/mail-events";

const MAX_BODY_BYTES = 64 * 1024;
/** How far a signed timestamp may be from now: older events are refused as possible replays. */
export const MAILGUN_WINDOW_SECONDS = 300;

const payloadSchema = z.object({
  signature: z.object({
    timestamp: z.string().regex(/^\d{1,12}$/),
    token: z.string().regex(/^[A-Za-z0-9]{20,200}$/),
    signature: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  "event-data": z.object({
    event: z.string().max(40),
    severity: z.string().max(40).optional(),
    envelope: z.object({ sender: z.string().max(320).optional() }).partial().optional(),
    "delivery-status": z.object({
      code: z.union([z.number(), z.string()]).optional(),
      message: z.string().max(2000).optional(),
      description: z.string().max(2000).optional(),
      "enhanced-code": z.string().max(20).optional(),
    }).partial().optional(),
  }),
});

function refuse(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

async function readCapped(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return null;
  const reader = request.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Whether Mailgun signed this timestamp and token with our key: HMAC-SHA256 of timestamp + token. */
export function mailgunSignatureValid(key: string, timestamp: string, token: string, signature: string): boolean {
  const expected = createHmac("sha256", key).update(timestamp + token).digest();
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Takes one Mailgun event (failed, complained, delivered). Unsigned, stale or replayed events are
 * refused with a 4xx; a signed one that names nothing we sent is parked and answered 406, which
 * tells Mailgun not to retry.
 */
export async function takeMailgunEvent(request: Request): Promise<Response> {
  const key = inboundEnv().MAILGUN_WEBHOOK_SIGNING_KEY;
  if (!key) return refuse(404, "This webhook is not configured.");
  const body = await readCapped(request);
  if (body === null) return refuse(413, "The event is larger than any Mailgun event.");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return refuse(400, "The body is not JSON.");
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return refuse(400, "The body is not a signed Mailgun event.");
  const { signature: sig, "event-data": event } = parsed.data;
  if (!mailgunSignatureValid(key, sig.timestamp, sig.token, sig.signature)) return refuse(401, "The signature does not match.");
  if (Math.abs(Date.now() / 1000 - Number(sig.timestamp)) > MAILGUN_WINDOW_SECONDS) return refuse(401, "The signature has expired.");
  const fresh = await db().insertInto("webhook_tokens").values({ provider: "mailgun", token: sig.token })
    .onConflict((oc) => oc.doNothing()).returning("token").executeTakeFirst();
  if (!fresh) return refuse(409, "This event was already received.");

  const kind = event.event === "failed" ? (event.severity === "temporary" ? "soft_bounce" : "hard_bounce")
    : event.event === "complained" ? "complaint" : event.event === "delivered" ? "accepted" : null;
  const park = async (reason: string) => {
    await parkInbound(db(), { source: "mailgun", reason, recipient: event.envelope?.sender ?? null });
    return refuse(406, `Not used: ${reason}.`);
  };
  if (!kind) return park(`event "${event.event}" is not one we use`);
  const subject = event.envelope?.sender ? parseInboundAddress(event.envelope.sender) : null;
  if (subject?.type !== "bounce") return park("names no message of ours (no valid return address)");
  const status = event["delivery-status"];
  const applied = await applyReport(db(), {
    source: "mailgun", kind: subject.kind, ref: subject.ref, event: kind,
    statusCode: status?.["enhanced-code"] ?? (status?.code !== undefined ? String(status.code) : null),
    reason: scrubReason([status?.code, status?.message || status?.description].filter(Boolean).join(" ")),
  });
  if (!applied.applied) return park(applied.reason);
  return new Response("ok", { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
