import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { db } from "#db/client";
import { createSession, findSession, revokeSessions, touchSession, type SessionCampaigner } from "#db/queries/campaigners";
import type { SecondFactor } from "#db/schema";
import { hashToken, newToken, safeEqual } from "#core/tokens";
import { env } from "#core/env";
import { isCrossSite } from "./abuse.server";
import { requireTwoFactorWhenDemanded } from "./two-factor-policy.server";
import { MAX_FORM_ENTRIES, plainForm, readForm, type FormShape } from "./form-body.server";

export interface CampaignerSession {
  campaigner: SessionCampaigner;
  /** SHA-256 of the cookie's token: the session row's id. */
  sessionId: Buffer;
  csrfToken: string;
}

// `__Host-` pins the cookie to this exact origin over HTTPS; plain HTTP in development can't carry it.
const production = () => env().NODE_ENV === "production";
const sessionCookie = () =>
  (cookie ??= createCookie(production() ? "__Host-inkwell_session" : "inkwell_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: production(),
    path: "/",
    maxAge: 7 * 24 * 60 * 60,
  }));
let cookie: ReturnType<typeof createCookie> | undefined;

/** Starts a session for a campaigner who proved who they are; returns the Set-Cookie header. */
export async function startSession(campaignerId: number, secondFactor: SecondFactor | null = null): Promise<string> {
  const token = newToken();
  await createSession(db(), campaignerId, hashToken(token), randomBytes(24).toString("base64url"), secondFactor);
  return sessionCookie().serialize(token);
}

/** Ends the request's session (if any); returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) await revokeSessions(db(), { idHash: hashToken(token) });
  return sessionCookie().serialize("", { maxAge: 0 });
}

async function readToken(request: Request): Promise<string | null> {
  return tokenFromCookieHeader(request.headers.get("Cookie"));
}

async function tokenFromCookieHeader(header: string | null): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(header);
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

/** The signed-in campaigner for this request, or null. */
export async function getCampaignerSession(request: Request): Promise<CampaignerSession | null> {
  return sessionFromCookieHeader(request.headers.get("Cookie"));
}

/** The signed-in campaigner for a raw Cookie header (Express routes outside Remix use it), or null. */
export async function sessionFromCookieHeader(header: string | null): Promise<CampaignerSession | null> {
  const token = await tokenFromCookieHeader(header);
  if (!token) return null;
  const sessionId = hashToken(token);
  const row = await findSession(db(), sessionId);
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() > 60_000) await touchSession(db(), sessionId);
  return { campaigner: { id: row.id, email: row.email, name: row.name, role: row.role }, sessionId, csrfToken: row.csrf_token };
}

/** The signed-in campaigner; anyone else is sent to sign in and brought back afterwards. */
export async function requireCampaigner(request: Request): Promise<CampaignerSession> {
  const session = await getCampaignerSession(request);
  if (session) return requireTwoFactorWhenDemanded(session);
  const url = new URL(request.url);
  const next = request.method === "GET" ? url.pathname + url.search : "/admin";
  throw redirect(`/admin/sign-in?next=${encodeURIComponent(next)}`);
}

/** A workspace form read without a schema: plain fields only (the held-signatures page ticks up to 200). */
const WORKSPACE_PLAIN_FORM = plainForm(100_000, MAX_FORM_ENTRIES);

/** Refuses a workspace form post whose hidden `csrf` field does not match the session's token. */
export function verifyCsrf(formData: FormData, session: CampaignerSession): void {
  const sent = formData.get("csrf");
  const ok = typeof sent === "string" && safeEqual(Buffer.from(sent), Buffer.from(session.csrfToken));
  if (!ok) throw new Response("This form has expired. Go back, reload the page and try again.", { status: 403 });
}

/**
 * The posted form of a workspace page, read through its shape (see form-body.server.ts): 415 or 400
 * when the body is not a form or holds more than the form can, 403 unless it carries the session's
 * anti-forgery token.
 */
export async function verifiedForm(request: Request, session: CampaignerSession, shape: FormShape = WORKSPACE_PLAIN_FORM): Promise<FormData> {
  const formData = await readForm(request, shape);
  verifyCsrf(formData, session);
  return formData;
}

/** Refuses a post that a browser says came from another site (sign-in, reset: no session to hold a token yet). */
export function verifySameOrigin(request: Request): void {
  if (isCrossSite(request)) throw new Response("This form can only be sent from Inkwell itself.", { status: 403 });
}
