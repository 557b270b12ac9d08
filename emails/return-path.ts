import { createHmac, timingSafeEqual } from "node:crypto";
import { purposeKey } from "#core/keys";
import { env as emailsEnv } from "#core/env";
import { env as inboundEnv } from "#core/env";
import { mailDomain } from "./mailer";

/** What a return address names: the kind of message and its reference. */
export const MAIL_KINDS = {
  confirmation: "c", update: "u", notice: "n", delivery: "d", privacy: "p", reset: "r", alert: "a", test: "t",
} as const;
export type MailKind = keyof typeof MAIL_KINDS;
const KIND_BY_CODE = new Map<string, MailKind>(Object.entries(MAIL_KINDS).map(([k, v]) => [v, k as MailKind]));

/** The key of return and reply addresses: one function, its own label, easy to re-point. */
export function returnPathKey(secret = emailsEnv().SESSION_SECRET): Buffer {
  return purposeKey("return-path", secret);
}

// 64 bits, lower-case hex: local parts may be case-folded on the way back.
function mac(text: string, secret?: string): string {
  return createHmac("sha256", returnPathKey(secret)).update(text).digest("hex").slice(0, 16);
}

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The domain bounces and replies come back to. */
export function returnDomain(): string {
  return (inboundEnv().BOUNCE_DOMAIN ?? mailDomain()).toLowerCase();
}

/** The VERP envelope sender of one message: bounces+<kind>.<ref>.<mac>@domain. */
export function bounceAddress(kind: MailKind, ref: string | number, secret?: string): string {
  const body = `${MAIL_KINDS[kind]}.${String(ref).toLowerCase()}`;
  if (!/^[a-z]\.[0-9a-z-]{1,40}$/.test(body)) throw new Error(`bad return reference ${body}`);
  return `bounces+${body}.${mac(`bounce:${body}`, secret)}@${returnDomain()}`;
}

/** The Reply-To address of one batch: reply+<batch>.<mac>@domain. */
export function replyAddress(deliveryId: number, secret?: string): string {
  return `reply+${deliveryId}.${mac(`reply:${deliveryId}`, secret)}@${returnDomain()}`;
}

export type InboundAddress =
  | { type: "bounce"; kind: MailKind; ref: string }
  | { type: "reply"; deliveryId: number }
  | { type: "feedback" };

/**
 * What an address we receive mail for names, or null when it is not ours or its MAC is wrong.
 * Plain bounces@ (no tag) is where feedback loops send complaint reports.
 */
export function parseInboundAddress(address: string, secret?: string): InboundAddress | null {
  const m = /^([^@\s]{1,64})@([^@\s]{1,255})$/.exec(address.trim().toLowerCase());
  if (!m || m[2] !== returnDomain()) return null;
  const local = m[1]!;
  if (local === "bounces") return { type: "feedback" };
  const bounce = /^bounces\+([a-z])\.([0-9a-z-]{1,40})\.([0-9a-f]{16})$/.exec(local);
  if (bounce) {
    const kind = KIND_BY_CODE.get(bounce[1]!);
    const body = `${bounce[1]}.${bounce[2]}`;
    return kind && same(bounce[3]!, mac(`bounce:${body}`, secret)) ? { type: "bounce", kind, ref: bounce[2]! } : null;
  }
  const reply = /^reply\+([1-9][0-9]{0,15})\.([0-9a-f]{16})$/.exec(local);
  if (reply && same(reply[2]!, mac(`reply:${reply[1]}`, secret))) return { type: "reply", deliveryId: Number(reply[1]) };
  return null;
}

/** Every return address of ours named somewhere in a text (a report's headers), verified. */
export function findBounceAddresses(text: string): Extract<InboundAddress, { type: "bounce" }>[] {
  const found: Extract<InboundAddress, { type: "bounce" }>[] = [];
  for (const m of text.slice(0, 200_000).matchAll(/bounces\+[a-z]\.[0-9a-z-]{1,40}\.[0-9a-f]{16}@[a-z0-9.-]{1,255}/gi)) {
    const parsed = parseInboundAddress(m[0]);
    if (parsed?.type === "bounce" && !found.some((f) => f.kind === parsed.kind && f.ref === parsed.ref)) found.push(parsed);
  }
  return found;
}
