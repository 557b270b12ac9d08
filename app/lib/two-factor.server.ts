import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { db } from "#db/client";
import { acceptStep, recordWrongCode, savePendingSecret, spendRecoveryCode, tooManyWrongCodes, twoFactorOf } from "#db/queries/two-factor";
import { hashToken } from "#core/tokens";
import { openTwoFactorSecret, sealTwoFactorSecret } from "./two-factor-crypto.server";

const ISSUER = "Inkwell";
/** Codes from the step before or after the current one are accepted, for clocks a little off. */
const WINDOW = 1;
/** A set-up that was never confirmed gets a new secret after this long. */
const PENDING_MS = 60 * 60 * 1000;
export const RECOVERY_CODE_COUNT = 10;

function totp(secret: Buffer, label = "workspace"): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: 30, secret: new Secret({ buffer: Uint8Array.from(secret).buffer }) });
}

/** The time step a six-digit code belongs to if it is right now (±1 step), else null. */
export function stepOfCode(secret: Buffer, code: string, now = Date.now()): number | null {
  const t = totp(secret);
  const delta = t.validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : t.counter({ timestamp: now }) + delta;
}

export interface Enrolment {
  secretText: string;
  uri: string;
  qrSvg: string;
}

/**
 * The secret a campaigner is setting up, made on first visit and kept (encrypted) until confirmed
 * or stale; null when two-step sign-in is already on.
 */
export async function pendingEnrolment(campaigner: { id: number; email: string }): Promise<Enrolment | null> {
  const row = await twoFactorOf(db(), campaigner.id);
  if (row?.enabled_at) return null;
  let secret: Buffer;
  if (row && Date.now() - row.created_at.getTime() < PENDING_MS) {
    secret = openTwoFactorSecret(row.secret_encrypted, campaigner.id);
  } else {
    secret = Buffer.from(new Secret({ size: 20 }).bytes);
    await savePendingSecret(db(), campaigner.id, sealTwoFactorSecret(secret, campaigner.id));
  }
  const t = totp(secret, campaigner.email);
  const uri = t.toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 2, width: 220, errorCorrectionLevel: "M" });
  return { secretText: t.secret.base32.replace(/(.{4})/g, "$1 ").trim(), uri, qrSvg };
}

/** The step of a code for the campaigner's pending (not yet confirmed) secret, or null. */
export async function checkPendingCode(campaignerId: number, code: string): Promise<number | null> {
  const row = await twoFactorOf(db(), campaignerId);
  if (!row || row.enabled_at) return null;
  return stepOfCode(openTwoFactorSecret(row.secret_encrypted, campaignerId), code);
}

export type CodeCheck = "totp" | "recovery" | "wrong" | "too-many";

/**
 * Checks a code from an authenticator app (six digits) or a recovery code for a campaigner whose
 * two-step sign-in is on. A code is spent when it is accepted: the same time step, or the same
 * recovery code, never works twice. Wrong codes are counted, and past the limit none is tried.
 */
export async function checkSecondFactor(campaignerId: number, input: string, allowRecovery = true): Promise<CodeCheck> {
  const executor = db();
  if (await tooManyWrongCodes(executor, campaignerId)) return "too-many";
  const row = await twoFactorOf(executor, campaignerId);
  if (!row?.enabled_at) return "wrong";
  const digits = input.replace(/\s+/g, "");
  if (/^\d{6}$/.test(digits)) {
    const step = stepOfCode(openTwoFactorSecret(row.secret_encrypted, campaignerId), digits);
    if (step !== null && (await acceptStep(executor, campaignerId, step))) return "totp";
  } else if (allowRecovery) {
    const code = normaliseRecoveryCode(input);
    if (code && (await db().transaction().execute((trx) => spendRecoveryCode(trx, campaignerId, hashRecoveryCode(code))))) return "recovery";
  }
  await recordWrongCode(executor, campaignerId);
  return "wrong";
}

// RFC 4648 base32 in lower case: 16 characters carry 80 random bits.
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** Ten fresh recovery codes as shown to the campaigner (xxxx-xxxx-xxxx-xxxx), and their hashes to store. */
export function newRecoveryCodes(): { codes: string[]; hashes: Buffer[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(randomBytes(16), (b) => ALPHABET[b & 31]).join("");
    return chars.replace(/(.{4})(?!$)/g, "$1-");
  });
  return { codes, hashes: codes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c)!)) };
}

/** A recovery code as typed (any case, spaces or dashes) in its canonical form, or null if it cannot be one. */
export function normaliseRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]+/g, "");
  return /^[a-z2-7]{16}$/.test(code) ? code : null;
}

/** Recovery codes carry 80 random bits, so an unkeyed hash is enough to keep them from a leaked table. */
function hashRecoveryCode(code: string): Buffer {
  return hashToken(`recovery:${code}`);
}
