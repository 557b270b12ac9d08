import { createCookie } from "@remix-run/node";
import { db } from "#db/client";
import { createSignInChallenge, deleteSignInChallenge, findSignInChallenge, spendChallengeAttempt } from "#db/queries/sign-in-challenges";
import { twoFactorOf } from "#db/queries/two-factor";
import { hashToken, newToken } from "#core/tokens";
import { env } from "#core/env";
import { startSession } from "./auth.server";
import { checkSecondFactor } from "./two-factor.server";

/** Where the second step of sign-in lives. */
export const SECOND_STEP_PATH = "/admin/sign-in/code";
/** How long the second step waits after a right password, and how many codes it takes. */
const CHALLENGE_SECONDS = 5 * 60;
export const CHALLENGE_ATTEMPTS = 5;

const production = () => env().NODE_ENV === "production";
const challengeCookie = () =>
  (cookie ??= createCookie(production() ? "__Host-inkwell_sign_in" : "inkwell_sign_in", {
    httpOnly: true,
    sameSite: "lax",
    secure: production(),
    path: "/",
    maxAge: CHALLENGE_SECONDS,
  }));
let cookie: ReturnType<typeof createCookie> | undefined;

async function challengeId(request: Request): Promise<Buffer | null> {
  const value: unknown = await challengeCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value) ? hashToken(value) : null;
}

/**
 * After a right password: when the campaigner has two-step sign-in on, stores the pending step
 * on the server and returns the Set-Cookie header that names it; otherwise null.
 */
export async function beginSecondStep(campaignerId: number, next: string): Promise<string | null> {
  const row = await twoFactorOf(db(), campaignerId);
  if (!row?.enabled_at) return null;
  const token = newToken();
  await createSignInChallenge(db(), hashToken(token), campaignerId, next.slice(0, 2048), CHALLENGE_SECONDS);
  return challengeCookie().serialize(token);
}

/** Whether this browser is between password and code, with attempts left. */
export async function hasPendingSecondStep(request: Request): Promise<boolean> {
  const id = await challengeId(request);
  return id !== null && (await findSignInChallenge(db(), id, CHALLENGE_ATTEMPTS)) !== undefined;
}

export type SecondStepResult =
  | { status: "missing" }
  | { status: "wrong"; attemptsLeft: number }
  | { status: "too-many" }
  | { status: "done"; next: string; headers: Headers };

/** Checks the code for this browser's pending sign-in; on success the session starts and the pending step ends. */
export async function completeSecondStep(request: Request, code: string): Promise<SecondStepResult> {
  const id = await challengeId(request);
  const challenge = id && (await spendChallengeAttempt(db(), id, CHALLENGE_ATTEMPTS));
  if (!id || !challenge) return { status: "missing" };
  const check = await checkSecondFactor(challenge.campaigner_id, code);
  if (check === "totp" || check === "recovery") {
    await deleteSignInChallenge(db(), id);
    const headers = new Headers();
    headers.append("Set-Cookie", await startSession(challenge.campaigner_id, check));
    headers.append("Set-Cookie", await clearSecondStep());
    return { status: "done", next: challenge.next_path, headers };
  }
  if (check === "too-many") {
    await deleteSignInChallenge(db(), id);
    return { status: "too-many" };
  }
  const attemptsLeft = CHALLENGE_ATTEMPTS - challenge.attempts;
  if (attemptsLeft <= 0) await deleteSignInChallenge(db(), id);
  return { status: "wrong", attemptsLeft };
}

/** The Set-Cookie header that forgets the pending step in the browser. */
export async function clearSecondStep(): Promise<string> {
  return challengeCookie().serialize("", { maxAge: 0 });
}
